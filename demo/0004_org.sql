-- 0004_org.sql - the demo institutions' 区域范围 (regions of migrations/0004_regions.sql):
-- the 北汽分中心 and its stations and the 工业机器人站 are in Beijing; the 奔驰站 sits in the
-- 北京经济技术开发区 (大兴区). The center covers the whole country and has none.
UPDATE orgs SET region_code = '110000' WHERE code IN ('49003000', '49003032', '49011001');
UPDATE orgs SET region_code = '110115' WHERE code = '49003031';
