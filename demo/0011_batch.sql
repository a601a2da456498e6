-- 0011_batch.sql - demo batches of the 奔驰站 as the manual's 批次管理 list shows them (2019):
-- 第21次 等待北汽分中心审核资质 (the manual's review example, with its two items), 第20次 证书制作完成,
-- 第19次 资质审核被北汽分中心拒绝, 第18次 等待北汽分中心审核报名资质, 第10次 证书已寄出.
-- Later phases' data (rosters, papers, scores, certificates) come with their own modules' demo files.

INSERT INTO batches (org_id, year, seq, name, code, status, status_param, created_by, created_at,
                     updated_at, submitted_at, approved_at)
SELECT o.id, 2019, v.seq, o.name || '2019年第' || v.seq || '次鉴定', v.code, v.status,
       CASE WHEN v.status IN ('app_org2', 'app_rejected', 'reg_org2') THEN p.name END,
       (SELECT a.id FROM accounts a WHERE a.org_id = o.id AND a.role = 'station' ORDER BY a.id LIMIT 1),
       v.created::timestamptz, v.updated::timestamptz, v.created::timestamptz,
       CASE WHEN v.status NOT IN ('app_org2', 'app_rejected') THEN v.approved::timestamptz END
FROM (VALUES
    (10, '1420190325092233117', 'shipped',      '2019-03-25 09:22:33+08', '2019-04-09 10:03:28+08', '2019-03-26 15:10:00+08'),
    (18, '1420190328140512386', 'reg_org2',     '2019-03-28 14:05:12+08', '2019-04-04 17:04:56+08', '2019-03-29 11:20:00+08'),
    (19, '1420190409102744512', 'app_rejected', '2019-04-09 10:27:44+08', '2019-04-09 11:03:01+08', NULL),
    (20, '1420190326101508843', 'certified',    '2019-03-26 10:15:08+08', '2019-04-09 15:21:23+08', '2019-03-27 09:30:00+08'),
    (21, '1420190410134331725', 'app_org2',     '2019-04-10 13:43:31+08', '2019-04-10 13:43:31+08', NULL)
) AS v(seq, code, status, created, updated, approved)
JOIN orgs o ON o.code = '49003031'
JOIN orgs p ON p.id = o.parent_id;

INSERT INTO batch_counters (org_id, year, n)
SELECT id, 2019, 21 FROM orgs WHERE code = '49003031';

-- Items: each batch has the manual's two rows (焊装 中级 with 笔尖; 汽车装调工 高级 with 铅笔).
INSERT INTO batch_items (batch_id, pos, category, in_annual_plan, dual_cert, exam_date, level,
                         occupation_id, direction_id, count, standard_equipped, chief_assessor_id,
                         chief_supervisor_id)
SELECT b.id, v.pos, v.category, v.in_plan, v.dual, CASE b.seq WHEN 10 THEN DATE '2019-04-01'
       WHEN 20 THEN DATE '2019-04-08' ELSE DATE '2019-07-01' END, v.level, occ.id,
       (SELECT d.id FROM occupations d WHERE d.name = v.direction), 8, true,
       (SELECT e.id FROM experts e WHERE e.name = v.chief),
       CASE WHEN b.status NOT IN ('app_org2', 'app_rejected')
            THEN (SELECT e.id FROM experts e WHERE e.name = v.supervisor) END
FROM batches b
JOIN orgs o ON o.id = b.org_id AND o.code = '49003031'
CROSS JOIN (VALUES
    (1, 'industry', false, false, 4, '汽车焊装生产线操作工', NULL, '笔尖', '张玉霞'),
    (2, 'national', true, true, 3, '汽车装调工', '汽车发动机装调工', '铅笔', '臧真刚')
) AS v(pos, category, in_plan, dual, level, occupation, direction, chief, supervisor)
JOIN occupations occ ON occ.name = v.occupation
WHERE b.year = 2019;

INSERT INTO batch_item_experts (item_id, role, expert_id, pos)
SELECT i.id, 'assessor', e.id, x.ord
FROM batch_items i
JOIN batches b ON b.id = i.batch_id AND b.year = 2019
JOIN orgs o ON o.id = b.org_id AND o.code = '49003031'
CROSS JOIN LATERAL unnest(CASE i.pos WHEN 1 THEN ARRAY['笔尖', '胜利'] ELSE ARRAY['军军', '加加', '铅笔'] END)
    WITH ORDINALITY AS x(name, ord)
JOIN experts e ON e.name = x.name;

-- 审批流程及意见
INSERT INTO batch_trail (batch_id, at, actor, action, from_status, to_status, comment, text)
SELECT b.id, v.at::timestamptz, CASE v.actor WHEN 'station' THEN o.name WHEN 'org2' THEN p.name ELSE v.actor END,
       v.action, v.from_status, v.to_status, v.comment,
       replace(v.text, '{org2}', p.name)
FROM batches b
JOIN orgs o ON o.id = b.org_id AND o.code = '49003031'
JOIN orgs p ON p.id = o.parent_id
JOIN (VALUES
    (21, '2019-04-10 13:43:31+08', 'station', 'submit', 'draft', 'app_org2', NULL, '批次申请提交'),
    (19, '2019-04-09 10:27:44+08', 'station', 'submit', 'draft', 'app_org2', NULL, '批次申请提交'),
    (19, '2019-04-09 11:03:01+08', 'org2', 'reject', 'app_org2', 'app_rejected', '考评员人数不足，请补充',
     '{org2}拒绝，审核意见：考评员人数不足，请补充'),
    (18, '2019-03-28 14:05:12+08', 'station', 'submit', 'draft', 'app_org2', NULL, '批次申请提交'),
    (18, '2019-03-28 16:40:00+08', 'org2', 'approve', 'app_org2', 'app_staff', '同意', '{org2}审核通过，审核意见：同意'),
    (18, '2019-03-29 09:12:00+08', '中心工作人员', 'approve', 'app_staff', 'app_director', '同意', '中心工作人员审核通过，审核意见：同意'),
    (18, '2019-03-29 11:20:00+08', '中心主任', 'approve', 'app_director', 'registering', NULL, '中心主任审核通过，审核意见：'),
    (18, '2019-04-04 17:04:56+08', 'station', 'submit_registration', 'registering', 'reg_org2', NULL, '提交报名'),
    (20, '2019-03-26 10:15:08+08', 'station', 'submit', 'draft', 'app_org2', NULL, '批次申请提交'),
    (20, '2019-03-26 14:02:00+08', 'org2', 'approve', 'app_org2', 'app_staff', '同意', '{org2}审核通过，审核意见：同意'),
    (20, '2019-03-26 16:45:00+08', '中心工作人员', 'approve', 'app_staff', 'app_director', '同意', '中心工作人员审核通过，审核意见：同意'),
    (20, '2019-03-27 09:30:00+08', '中心主任', 'approve', 'app_director', 'registering', '同意', '中心主任审核通过，审核意见：同意'),
    (20, '2019-04-09 15:21:23+08', '中心工作人员', 'issue_certificates', 'certifying', 'certified', NULL, '证书制作完成'),
    (10, '2019-03-25 09:22:33+08', 'station', 'submit', 'draft', 'app_org2', NULL, '批次申请提交'),
    (10, '2019-03-25 15:00:00+08', 'org2', 'approve', 'app_org2', 'app_staff', '同意', '{org2}审核通过，审核意见：同意'),
    (10, '2019-03-26 10:00:00+08', '中心工作人员', 'approve', 'app_staff', 'app_director', '同意', '中心工作人员审核通过，审核意见：同意'),
    (10, '2019-03-26 15:10:00+08', '中心主任', 'approve', 'app_director', 'registering', '同意', '中心主任审核通过，审核意见：同意'),
    (10, '2019-04-09 10:03:28+08', '中心工作人员', 'ship', 'certified', 'shipped', NULL, '证书已寄出，快递单号：254687324501')
) AS v(seq, at, actor, action, from_status, to_status, comment, text) ON v.seq = b.seq
WHERE b.year = 2019;
