-- 0002_identity.sql - the demo organisations, accounts, experts and candidate of API.md,
-- mirroring the manual. Every password is kaowu2019 (the argon2id hash below was made with
-- `echo kaowu2019 | kaowu-admin hash-password`) and needs no change at first login.
-- Every validity date runs to 2030-12-31.

INSERT INTO orgs (kind, org_type, name, code, parent_id, builder, leader_name, contact_name, phone, email, postcode, address, valid_until)
VALUES ('center', '中心', '机械工业职业技能鉴定指导中心', '49000000', NULL, NULL, NULL, '中心办公室',
        '010-00000000', 'center@kaowu.example', '100000', '北京市', '2030-12-31');

INSERT INTO orgs (kind, org_type, name, code, parent_id, builder, contact_name, phone, email, postcode, address, valid_until)
SELECT 'level2', '分中心', '机械工业职业技能鉴定汽车行业北汽分中心', '49003000', id, '北京汽车集团有限公司',
       '北汽分中心联系人', '010-00000001', 'beiqi-center@kaowu.example', '100000', '北京市', '2030-12-31'
FROM orgs WHERE code = '49000000';

INSERT INTO orgs (kind, org_type, name, code, parent_id, builder, contact_name, phone, email, postcode, address, valid_until)
SELECT 'station', '鉴定站', v.name, v.code, p.id, v.builder, v.contact, v.phone, v.email, v.postcode, v.address, '2030-12-31'
FROM (VALUES
    ('机械行业职业技能鉴定汽车北京奔驰站', '49003031', '49003000', '北京奔驰汽车有限公司', '奔驰站联系人',
     '010-00000031', 'benz-station@kaowu.example', '100176', '北京经济技术开发区博兴路8号'),
    ('机械行业职业技能鉴定汽车北汽站', '49003032', '49003000', '北京汽车股份有限公司', '北汽站联系人',
     '010-00000032', 'baic-station@kaowu.example', '100000', '北京市'),
    ('机械行业职业技能鉴定工业机器人站', '49011001', '49000000', '工业机器人站承建单位', '机器人站联系人',
     '010-00011001', 'robot-station@kaowu.example', '100000', '北京市')
) AS v(name, code, parent_code, builder, contact, phone, email, postcode, address)
JOIN orgs p ON p.code = v.parent_code;

INSERT INTO org_scopes (org_id, category, occupation_id)
SELECT o.id, v.category, occ.id
FROM (VALUES
    ('49003031', 'national', '汽车装调工'), ('49003031', 'national', '机动车检测工'),
    ('49003031', 'industry', '汽车装调工'), ('49003031', 'industry', '汽车焊装生产线操作工'),
    ('49003032', 'national', '汽车装调工'), ('49003032', 'industry', '汽车装调工'),
    ('49011001', 'national', '工业机器人装调维修工'), ('49011001', 'national', '工业机器人操作调整工'),
    ('49011001', 'industry', '工业机器人装调维修工'), ('49011001', 'industry', '工业机器人操作调整工')
) AS v(code, category, occupation)
JOIN orgs o ON o.code = v.code
JOIN occupations occ ON occ.name = v.occupation;

-- Org accounts: center staff and director, and one per institution (username = full name).
INSERT INTO accounts (kind, username, role, display_name, org_id, email, password_hash, must_change_password)
SELECT 'org', v.username, v.role, v.display, o.id, o.email, '$argon2id$v=19$m=65536,t=2,p=1$2RZDlXgL67ptDlXRXp4J4g$vAfvcUxDso4EXsDtqLN0kNNBju6iafP74xdfEGU6lt0', false
FROM (VALUES
    ('staff01', 'center_staff', '中心工作人员', '49000000'),
    ('director01', 'center_director', '中心主任', '49000000')
) AS v(username, role, display, code)
JOIN orgs o ON o.code = v.code;

INSERT INTO accounts (kind, username, role, display_name, org_id, email, password_hash, must_change_password)
SELECT 'org', o.name, CASE o.kind WHEN 'level2' THEN 'org2' ELSE 'station' END, o.name, o.id, o.email, '$argon2id$v=19$m=65536,t=2,p=1$2RZDlXgL67ptDlXRXp4J4g$vAfvcUxDso4EXsDtqLN0kNNBju6iafP74xdfEGU6lt0', false
FROM orgs o WHERE o.kind <> 'center';

-- Experts: assessors of the 奔驰站 and the 工业机器人站, supervisors of the center.
INSERT INTO experts (name, id_number, role, org_id)
SELECT v.name, v.id_number, v.role, o.id
FROM (VALUES
    ('铅笔', '422201199001176250', 'assessor', '49003031'),
    ('笔尖', '422201199102176233', 'assessor', '49003031'),
    ('胜利', '422201198803156214', 'assessor', '49003031'),
    ('军军', '110105198510203318', 'assessor', '49003031'),
    ('加加', '11010519870722442X', 'assessor', '49003031'),
    ('王强', '320583198309094519', 'assessor', '49011001'),
    ('张玉霞', '110101197005120028', 'supervisor', '49000000'),
    ('臧真刚', '110108196811030035', 'supervisor', '49000000')
) AS v(name, id_number, role, code)
JOIN orgs o ON o.code = v.code;

INSERT INTO expert_certificates (expert_id, category, cert_no, type, issued_on, valid_until, org_id)
SELECT e.id, v.category, v.cert_no, v.type, '2019-03-26', '2030-12-31', e.org_id
FROM (VALUES
    ('422201199001176250', 'national', '18490010099', 'senior_assessor'),
    ('422201199001176250', 'industry', '194900903110099', 'senior_assessor'),
    ('422201199102176233', 'national', '18490010101', 'assessor'),
    ('422201199102176233', 'industry', '194900903110101', 'assessor'),
    ('422201198803156214', 'national', '18490010102', 'assessor'),
    ('422201198803156214', 'industry', '194900903110102', 'assessor'),
    ('110105198510203318', 'national', '18490010103', 'assessor'),
    ('110105198510203318', 'industry', '194900903110103', 'assessor'),
    ('11010519870722442X', 'national', '18490010104', 'assessor'),
    ('11010519870722442X', 'industry', '194900903110104', 'assessor'),
    ('320583198309094519', 'national', '18490110001', 'assessor'),
    ('320583198309094519', 'industry', '194901109110001', 'assessor'),
    ('110101197005120028', 'national', '18490000201', 'supervisor'),
    ('110108196811030035', 'national', '18490000202', 'supervisor')
) AS v(id_number, category, cert_no, type)
JOIN experts e ON e.id_number = v.id_number;

INSERT INTO expert_certificate_occupations (certificate_id, occupation_id)
SELECT c.id, occ.id
FROM expert_certificates c
JOIN experts e ON e.id = c.expert_id
JOIN occupations occ ON occ.name = ANY (CASE
    WHEN e.id_number = '422201199001176250' THEN ARRAY['汽车装调工']
    WHEN e.id_number = '320583198309094519' THEN ARRAY['工业机器人装调维修工', '工业机器人操作调整工']
    WHEN c.category = 'national' AND e.role = 'assessor' THEN ARRAY['汽车装调工']
    ELSE ARRAY['汽车装调工', '汽车焊装生产线操作工'] END);

INSERT INTO accounts (kind, username, role, display_name, org_id, expert_id, email, password_hash, must_change_password)
SELECT e.role, e.id_number, e.role, e.name, NULL, e.id, NULL, '$argon2id$v=19$m=65536,t=2,p=1$2RZDlXgL67ptDlXRXp4J4g$vAfvcUxDso4EXsDtqLN0kNNBju6iafP74xdfEGU6lt0', false
FROM experts e;

-- The candidate 申通 (在职人员).
INSERT INTO candidates (id_number, real_name, sex, birth_date, email, phone)
VALUES ('110226198908051235', '申通', 'M', '1989-08-05', 'shentong@kaowu.example', '13800000000');
INSERT INTO accounts (kind, username, role, display_name, candidate_id, email, password_hash, must_change_password)
SELECT 'candidate', 'shentong', 'candidate', c.real_name, c.id, c.email, '$argon2id$v=19$m=65536,t=2,p=1$2RZDlXgL67ptDlXRXp4J4g$vAfvcUxDso4EXsDtqLN0kNNBju6iafP74xdfEGU6lt0', false
FROM candidates c WHERE c.id_number = '110226198908051235';
