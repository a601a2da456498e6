-- 0028_notice.sql - demo 通知公告: the landing page's 工作动态 as the manual's home page lists it (2019,
-- public), and the manual's 年会通知 (2019-04-01 14:31) sent to every org with a 回执 form open until
-- 2030-12-31 (as every demo validity date).

WITH staff AS (SELECT id FROM accounts WHERE username = 'staff01' AND kind = 'org')
INSERT INTO notices (title, body_html, body_text, audience, section, is_public, publish_on, status,
                     receipt, receipt_deadline, created_by, created_at, updated_at, published_at)
SELECT v.title, '<p>' || v.body || '</p>', v.body, v.audience, v.section, v.public, v.day::date,
       'published', v.receipt, v.deadline::timestamptz, staff.id, v.at::timestamptz,
       v.at::timestamptz, v.at::timestamptz
FROM staff, (VALUES
    ('全国第四届工程机械维修工职业技能竞赛技术文件', '全国第四届工程机械维修工职业技能竞赛的技术文件已发布，请各参赛单位按技术文件组织选手备赛。', 'all', 'work', true, '2019-04-02', false, NULL, '2019-04-02 09:00:00+08'),
    ('全国第三届发动机装调工职业技能竞赛技术文件', '全国第三届发动机装调工职业技能竞赛的技术文件已发布，请各参赛单位按技术文件组织选手备赛。', 'all', 'work', true, '2019-04-02', false, NULL, '2019-04-02 09:10:00+08'),
    ('关于同意机械行业第七批重新登记注册机构的通知', '经审核，同意机械行业第七批职业技能鉴定机构重新登记注册，名单见附件。', 'all', 'work', true, '2019-03-27', false, NULL, '2019-03-27 10:00:00+08'),
    ('关于举办2019年第四期机械行业职业技能鉴定考评人员培训班的通知', '定于2019年4月举办第四期机械行业职业技能鉴定考评人员培训班，请各鉴定站按要求报名。', 'all', 'work', true, '2019-03-13', false, NULL, '2019-03-13 09:00:00+08'),
    ('关于召开2018年度机械行业人才评价工作总结会的通知', '定于2019年4月召开2018年度机械行业人才评价工作总结会，请各单位派员参加。', 'all', 'work', true, '2019-03-13', false, NULL, '2019-03-13 09:30:00+08'),
    ('关于召开2019年中国技能大赛——全国第四届工程机械维修工职业技能竞赛筹备会的通知', '定于2019年3月召开全国第四届工程机械维修工职业技能竞赛筹备会。', 'all', 'work', true, '2019-02-27', false, NULL, '2019-02-27 09:00:00+08'),
    ('关于召开2019年中国技能大赛——全国第三届发动机装调工职业技能竞赛筹备会的通知', '定于2019年3月召开全国第三届发动机装调工职业技能竞赛筹备会。', 'all', 'work', true, '2019-02-27', false, NULL, '2019-02-27 09:30:00+08'),
    ('关于印发机械工业人才评价工作专家委员会名单的通知', '机械工业人才评价工作专家委员会名单印发如下，请各单位知悉。', 'all', 'work', true, '2019-02-25', false, NULL, '2019-02-25 09:00:00+08'),
    ('年会通知', '定于2019年4月10日召开机械行业职业技能鉴定工作年会，请各机构派员参加，并填写回执。', 'all', 'notice', false, '2019-04-01', true, '2030-12-31 18:00:00+08', '2019-04-01 14:31:00+08')
) AS v(title, body, audience, section, public, day, receipt, deadline, at);
