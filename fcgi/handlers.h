/* handlers.h - every handler the route table names, grouped by the file that holds it. */
#ifndef KW_HANDLERS_H
#define KW_HANDLERS_H

#include "http.h"
#include "router.h"

/* h_system.c */
int h_health(struct request *r);
int h_system_info(struct request *r);
int h_openapi(struct request *r);

/* h_message.c */
int h_messages(struct request *r);
int h_messages_unread(struct request *r);
int h_message_read(struct request *r);
int h_messages_read_all(struct request *r);

/* h_auth.c */
int h_login(struct request *r);
int h_logout(struct request *r);
int h_me(struct request *r);
int h_password(struct request *r);
int h_logins(struct request *r);
int h_register(struct request *r);
int h_forgot(struct request *r);
int h_reset(struct request *r);
int h_account_get(struct request *r);
int h_account_put(struct request *r);

/* h_expert.c */
int h_expert_list(struct request *r);
int h_expert_eligible(struct request *r);
int h_expert_get(struct request *r);
int h_expert_create(struct request *r);
int h_expert_initial_password(struct request *r);
int h_expert_update(struct request *r);
int h_expert_cert_add(struct request *r);
int h_expert_cert_update(struct request *r);
int h_expert_cert_delete(struct request *r);
int h_expert_my_certs(struct request *r);

/* h_ref.c */
int h_ref_occupations(struct request *r);
int h_ref_levels(struct request *r);
int h_ref_categories(struct request *r);
int h_ref_regions(struct request *r);
int h_ref_region(struct request *r);

/* h_org.c */
int h_org_list(struct request *r);
int h_org_get(struct request *r);
int h_org_create(struct request *r);
int h_org_initial_password(struct request *r);
int h_org_update(struct request *r);
int h_org_action(struct request *r);
int h_org_cr_create(struct request *r);
int h_org_cr_list(struct request *r);
int h_org_cr_get(struct request *r);
int h_org_cr_action(struct request *r);

/* h_audit.c */
int h_audit_list(struct request *r);
int h_audit_words(struct request *r);

/* h_plan.c */
int h_plan_list(struct request *r);
int h_plan_get(struct request *r);
int h_plan_create(struct request *r);
int h_plan_update(struct request *r);
int h_plan_action(struct request *r);
int h_plan_export(struct request *r);
int h_plan_overview(struct request *r);

/* h_batch.c */
int h_batch_list(struct request *r);
int h_batch_statuses(struct request *r);
int h_batch_get(struct request *r);
int h_batch_create(struct request *r);
int h_batch_update(struct request *r);
int h_batch_action(struct request *r);
int h_batch_assessors(struct request *r);
int h_batch_supervisors(struct request *r);
int h_batch_delete(struct request *r);
int h_batch_papers(struct request *r);
int h_batch_paper_theory(struct request *r);
int h_batch_paper_practical(struct request *r);
int h_batch_paper_delete(struct request *r);

/* h_file.c */
int h_file_upload(struct request *r);
int h_file_download(struct request *r);

/* h_paper.c: question bank and papers */
int h_bank_template(struct request *r);
int h_bank_import(struct request *r);
int h_bank_list(struct request *r);
int h_bank_stats(struct request *r);
int h_bank_get(struct request *r);
int h_bank_update(struct request *r);
int h_bank_delete(struct request *r);
int h_scheme_list(struct request *r);
int h_scheme_create(struct request *r);
int h_scheme_get(struct request *r);
int h_scheme_delete(struct request *r);
int h_scheme_generate(struct request *r);
int h_paper_list(struct request *r);
int h_paper_get(struct request *r);
int h_paper_delete(struct request *r);
int h_paper_questions(struct request *r);
int h_paper_question_delete(struct request *r);
int h_paper_question_replace(struct request *r);
int h_paper_export(struct request *r);
/* enrollment (h_enroll.c) */
int h_enroll_open_items(struct request *r);
int h_enroll_preview(struct request *r);
int h_enroll_create(struct request *r);
int h_enroll_mine(struct request *r);
int h_enroll_get(struct request *r);
int h_enroll_stamped(struct request *r);
int h_enroll_roster(struct request *r);
int h_enroll_reject(struct request *r);
int h_enroll_form_pdf(struct request *r);
/* 通知公告 and the public site (h_notice.c) */
int h_notice_list(struct request *r);
int h_notice_create(struct request *r);
int h_notice_get(struct request *r);
int h_notice_update(struct request *r);
int h_notice_action(struct request *r);
int h_notice_attachment(struct request *r);
int h_notice_receipt(struct request *r);
int h_notice_status(struct request *r);
int h_notice_receipts(struct request *r);
int h_public_notices(struct request *r);
int h_public_notice(struct request *r);
int h_public_notice_attachment(struct request *r);
int h_public_search(struct request *r);
/* 考评管理人员培训 and the center's home (h_training.c) */
int h_training_list(struct request *r);
int h_training_create(struct request *r);
int h_training_get(struct request *r);
int h_training_action(struct request *r);
int h_dashboard(struct request *r);
/* 报名意向表 and 自评自测 (h_practice.c) */
int h_intention_save(struct request *r);
int h_intention_mine(struct request *r);
int h_intention_delete(struct request *r);
int h_intention_summary(struct request *r);
int h_intention_forward(struct request *r);
int h_selftest_options(struct request *r);
int h_selftest_start(struct request *r);
int h_selftest_mine(struct request *r);
int h_selftest_get(struct request *r);
int h_selftest_submit(struct request *r);
/* fees and shipping (h_finance.c) */
int h_fee_prices(struct request *r);
int h_fee_prices_put(struct request *r);
int h_batch_fee_get(struct request *r);
int h_batch_fee_put(struct request *r);
int h_fee_list(struct request *r);
int h_fee_get(struct request *r);
int h_fee_invoice(struct request *r);
int h_fee_action(struct request *r);
int h_carriers(struct request *r);
/* certificates (h_certificate.c) */
int h_cert_list(struct request *r);
int h_cert_stats(struct request *r);
int h_cert_mine(struct request *r);
int h_cert_get(struct request *r);
int h_cert_pdf(struct request *r);
int h_cert_public(struct request *r);
int h_cert_public_expert(struct request *r);
int h_cert_verify(struct request *r);
int h_cert_public_keys(struct request *r);

/* batch phase 4: scores and reports (h_grading.c) */
int h_grading_scores(struct request *r);
int h_grading_save(struct request *r);
int h_grading_template(struct request *r);
int h_grading_import(struct request *r);
int h_report_get(struct request *r);
int h_report_appraisal(struct request *r);
int h_report_assessment(struct request *r);
int h_report_supervision(struct request *r);
int h_report_assessment_confirm(struct request *r);
int h_report_supervision_confirm(struct request *r);
int h_report_remind(struct request *r);
int h_report_missing(struct request *r);
int h_expert_tasks(struct request *r);

/* 考试日历 (issue 11, h_calendar.c) */
int h_calendar(struct request *r);
int h_expert_counts(struct request *r);

#endif
