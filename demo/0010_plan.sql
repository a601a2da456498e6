-- 0010_plan.sql - demo annual plans mirroring the manual's 年度计划 lists (第一部分 二(一)): the 奔驰站's
-- two approved plans, three waiting for the 北汽分中心 and one waiting for the center staff (the
-- detail page's 1420190409170837842), the 北汽站's approved plan, and the 工业机器人站 (no level-2
-- parent) with one plan waiting for the center and one the center rejected. Plus the site messages
-- those decisions sent.

CREATE TEMP TABLE demo_plans (code text, org_code text, status text, submitted timestamptz,
                              l2_decided timestamptz, center_decided timestamptz, rejected_by text,
                              comment text) ON COMMIT DROP;
INSERT INTO demo_plans VALUES
    ('1420190409105244284', '49003031', 'approved',      '2019-04-09 10:52:44+08', '2019-04-09 10:54:10+08', '2019-04-09 10:55:02+08', NULL, NULL),
    ('1420190409104834278', '49003031', 'approved',      '2019-04-09 10:48:34+08', '2019-04-09 10:53:20+08', '2019-04-09 10:55:30+08', NULL, NULL),
    ('1420190315094924337', '49003031', 'level2_review', '2019-03-15 09:49:24+08', NULL, NULL, NULL, NULL),
    ('1420190315094839671', '49003031', 'level2_review', '2019-03-15 09:48:39+08', NULL, NULL, NULL, NULL),
    ('1420190315094806422', '49003031', 'level2_review', '2019-03-15 09:48:06+08', NULL, NULL, NULL, NULL),
    ('1420190409170837842', '49003031', 'center_review', '2019-04-09 17:08:37+08', '2019-04-09 17:14:05+08', NULL, NULL, NULL),
    ('1420190215095930115', '49003032', 'approved',      '2019-02-15 09:59:30+08', '2019-02-15 10:01:12+08', '2019-02-15 10:03:40+08', NULL, NULL),
    ('1420190410091522501', '49011001', 'center_review', '2019-04-10 09:15:22+08', NULL, NULL, NULL, NULL),
    ('1420190320140211233', '49011001', 'rejected',      '2019-03-20 14:02:11+08', NULL, '2019-03-21 09:30:00+08', 'center',
     '工业机器人操作调整工的预计考试时间与培训时间重叠，请调整后重新提交');

INSERT INTO plans (org_id, code, year, status, level2_org_id, rejected_by, last_comment, created_by,
                   created_at, submitted_at, updated_at)
SELECT o.id, d.code, 2019, d.status, CASE WHEN par.kind = 'level2' THEN par.id END, d.rejected_by,
       d.comment, a.id, d.submitted - interval '10 minutes', d.submitted,
       coalesce(d.center_decided, d.l2_decided, d.submitted)
FROM demo_plans d
JOIN orgs o ON o.code = d.org_code
JOIN orgs par ON par.id = o.parent_id
JOIN accounts a ON a.org_id = o.id AND a.kind = 'org'
WHERE NOT EXISTS (SELECT 1 FROM plans p WHERE p.code = d.code);

-- Items: (code, pos, category, level, occupation, count, training date, exam date, standard_equipped).
INSERT INTO plan_items (plan_id, pos, category, level, occupation_id, count, train_theory_date,
                        train_practical_date, exam_theory_date, exam_practical_date, standard_equipped)
SELECT p.id, v.pos, v.category, v.level, occ.id, v.count, v.train::date, v.train::date, v.exam::date,
       v.exam::date, v.equipped
FROM (VALUES
    ('1420190409105244284', 1, 'national', 3, '汽车装调工', 12, '2019-06-20', '2019-06-28', true),
    ('1420190409105244284', 2, 'national', 4, '汽车装调工', 25, '2019-06-20', '2019-06-28', true),
    ('1420190409104834278', 1, 'industry', 3, '汽车装调工', 18, '2019-09-02', '2019-09-20', true),
    ('1420190409104834278', 2, 'industry', 4, '汽车焊装生产线操作工', 30, '2019-09-02', '2019-09-20', false),
    ('1420190315094924337', 1, 'national', 2, '汽车装调工', 6, '2019-10-08', '2019-10-25', true),
    ('1420190315094839671', 1, 'national', 4, '机动车检测工', 20, '2019-05-06', '2019-05-24', true),
    ('1420190315094806422', 1, 'industry', 5, '汽车焊装生产线操作工', 40, '2019-05-13', '2019-05-30', false),
    ('1420190409170837842', 1, 'national', 3, '汽车装调工', 12, '2019-06-28', '2019-06-28', true),
    ('1420190215095930115', 1, 'national', 3, '汽车装调工', 15, '2019-04-15', '2019-04-26', true),
    ('1420190215095930115', 2, 'industry', 4, '汽车装调工', 22, '2019-07-01', '2019-07-19', true),
    ('1420190410091522501', 1, 'national', 4, '工业机器人装调维修工', 16, '2019-07-08', '2019-07-26', true),
    ('1420190410091522501', 2, 'industry', 3, '工业机器人操作调整工', 10, '2019-07-08', '2019-07-26', true),
    ('1420190320140211233', 1, 'national', 4, '工业机器人操作调整工', 12, '2019-06-10', '2019-06-10', true)
) AS v(code, pos, category, level, occupation, count, train, exam, equipped)
JOIN plans p ON p.code = v.code
JOIN occupations occ ON occ.name = v.occupation
WHERE NOT EXISTS (SELECT 1 FROM plan_items i WHERE i.plan_id = p.id);

-- 审批流程: the submission, the level-2 decision, the center's decision.
INSERT INTO plan_trail (plan_id, at, actor_id, actor_name, action, from_status, to_status, comment)
SELECT p.id, d.submitted, p.created_by, o.name, 'submit', 'draft',
       CASE WHEN p.level2_org_id IS NOT NULL THEN 'level2_review' ELSE 'center_review' END, NULL
FROM demo_plans d JOIN plans p ON p.code = d.code JOIN orgs o ON o.id = p.org_id
UNION ALL
SELECT p.id, d.l2_decided, a.id, l2.name, 'approve', 'level2_review', 'center_review', NULL
FROM demo_plans d JOIN plans p ON p.code = d.code JOIN orgs l2 ON l2.id = p.level2_org_id
JOIN accounts a ON a.org_id = l2.id AND a.kind = 'org'
WHERE d.l2_decided IS NOT NULL
UNION ALL
SELECT p.id, d.center_decided, a.id, a.display_name,
       CASE WHEN d.status = 'rejected' THEN 'reject' ELSE 'approve' END, 'center_review', d.status, d.comment
FROM demo_plans d JOIN plans p ON p.code = d.code JOIN accounts a ON a.username = 'staff01' AND a.kind = 'org'
WHERE d.center_decided IS NOT NULL;

-- 站内信 of those decisions (the manual's 您的计划审核通过，请查看).
INSERT INTO messages (org_id, role, account_id, text, link, created_at, read_at)
SELECT p.org_id, NULL::text, NULL::bigint,
       CASE WHEN d.status = 'rejected' THEN '您提交的计划被中心工作人员拒绝，请查看详情' ELSE '您的计划审核通过，请查看' END,
       '/app/plans/' || p.id, d.center_decided, NULL::timestamptz
FROM demo_plans d JOIN plans p ON p.code = d.code
WHERE d.center_decided IS NOT NULL
UNION ALL
SELECT p.level2_org_id, NULL, NULL, o.name || '提交了年度计划，等待您审核，请查看', '/app/plans/' || p.id,
       d.submitted, NULL
FROM demo_plans d JOIN plans p ON p.code = d.code JOIN orgs o ON o.id = p.org_id
WHERE d.status = 'level2_review'
UNION ALL
SELECT c.id, 'center_staff', NULL, o.name || '提交了年度计划，等待中心工作人员审核，请查看', '/app/plans/' || p.id,
       coalesce(d.l2_decided, d.submitted), NULL
FROM demo_plans d JOIN plans p ON p.code = d.code JOIN orgs o ON o.id = p.org_id
JOIN orgs c ON c.kind = 'center'
WHERE d.status = 'center_review';
