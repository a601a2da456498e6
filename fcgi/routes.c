/* routes.c - the one route table: every endpoint, who may call it, and what it does. */
#include "handlers.h"

#define HEALTH_SCHEMA                                                                              \
	"{\"type\":\"object\",\"properties\":{\"db\":{\"type\":\"string\",\"enum\":[\"ok\","       \
	"\"down\"]},\"schema\":{\"type\":\"integer\",\"nullable\":true},\"expected_schema\":"      \
	"{\"type\":\"integer\"},\"version\":{\"type\":\"string\"}}}"

#define ME_SCHEMA                                                                                  \
	"{\"type\":\"object\",\"properties\":{\"user\":{\"type\":\"object\",\"properties\":{"      \
	"\"id\":{\"type\":\"integer\"},\"role\":{\"type\":\"string\"},\"kind\":{\"type\":"         \
	"\"string\"},\"name\":{\"type\":\"string\"},\"org_id\":{\"type\":\"integer\","             \
	"\"nullable\":true},\"must_change_password\":{\"type\":\"boolean\"}}},\"csrf_token\":"     \
	"{\"type\":\"string\"}}}"
#define LOGIN_SCHEMA                                                                               \
	"{\"type\":\"object\",\"required\":[\"kind\",\"username\",\"password\"],\"properties\":"   \
	"{\"kind\":{\"type\":\"string\",\"enum\":[\"org\",\"assessor\",\"supervisor\","            \
	"\"candidate\"]},\"username\":{\"type\":\"string\"},\"password\":{\"type\":"               \
	"\"string\"}}}"
#define REGISTER_SCHEMA                                                                            \
	"{\"type\":\"object\",\"required\":[\"username\",\"password\",\"id_number\","              \
	"\"real_name\",\"email\",\"phone\"],\"properties\":{\"username\":{\"type\":\"string\","    \
	"\"minLength\":6},\"password\":{\"type\":\"string\",\"minLength\":8},\"id_number\":"       \
	"{\"type\":\"string\"},\"real_name\":{\"type\":\"string\"},\"email\":{\"type\":"           \
	"\"string\"},\"phone\":{\"type\":\"string\"}}}"
#define PASSWORD_SCHEMA                                                                            \
	"{\"type\":\"object\",\"required\":[\"old_password\",\"new_password\"],\"properties\":"    \
	"{\"old_password\":{\"type\":\"string\"},\"new_password\":{\"type\":\"string\"}}}"

/* experts (lib/expert) */
#define EXPERT_CERT_PROPS                                                                          \
	"\"category\":{\"type\":\"string\",\"enum\":[\"national\",\"industry\"]},"                 \
	"\"cert_no\":{\"type\":\"string\"},\"type\":{\"type\":\"string\",\"enum\":"                \
	"[\"assessor\",\"senior_assessor\",\"supervisor\"]},\"issued_on\":{\"type\":"              \
	"\"string\",\"format\":\"date\"},\"valid_until\":{\"type\":\"string\",\"format\":"         \
	"\"date\"},\"org_id\":{\"type\":\"integer\"}"
#define EXPERT_CERT_OUT                                                                            \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}," EXPERT_CERT_PROPS    \
	",\"category_text\":{\"type\":\"string\"},\"type_text\":{\"type\":\"string\"},"            \
	"\"occupations\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":"       \
	"{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":\"string\"}}}},"                        \
	"\"occupations_text\":{\"type\":\"string\"}}}"
#define EXPERT_SCHEMA                                                                              \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":"             \
	"{\"type\":\"string\"},\"id_number\":{\"type\":\"string\"},\"sex\":{\"type\":"             \
	"\"string\",\"enum\":[\"M\",\"F\"]},\"birth_date\":{\"type\":\"string\"},\"role\":"        \
	"{\"type\":\"string\",\"enum\":[\"assessor\",\"supervisor\"]},\"role_text\":{\"type\":"    \
	"\"string\"},\"org_id\":{\"type\":\"integer\"},\"org\":{\"type\":\"object\"},"             \
	"\"phone\":{\"type\":\"string\",\"nullable\":true},\"email\":{\"type\":\"string\","        \
	"\"nullable\":true},\"certificates\":{\"type\":\"array\",\"items\":" EXPERT_CERT_OUT "}}}"
#define EXPERT_LIST_SCHEMA                                                                         \
	"{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\","                      \
	"\"items\":" EXPERT_SCHEMA                                                                 \
	"},\"total\":{\"type\":\"integer\"},\"page\":{\"type\":\"integer\"},"                      \
	"\"per_page\":{\"type\":\"integer\"}}}"
#define EXPERT_CERT_LIST_SCHEMA                                                                    \
	"{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\","                      \
	"\"items\":" EXPERT_CERT_OUT "},\"total\":{\"type\":\"integer\"}}}"
#define EXPERT_CERT_SCHEMA                                                                         \
	"{\"type\":\"object\",\"required\":[\"category\",\"cert_no\",\"type\","                    \
	"\"occupation_ids\",\"issued_on\",\"valid_until\"],\"properties\":{" EXPERT_CERT_PROPS     \
	",\"occupation_ids\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}}}"
#define EXPERT_PERSON_PROPS                                                                        \
	"\"name\":{\"type\":\"string\",\"maxLength\":50},\"id_number\":{\"type\":"                 \
	"\"string\",\"pattern\":\"^[0-9]{17}[0-9Xx]$\"},\"role\":{\"type\":\"string\","            \
	"\"enum\":[\"assessor\",\"supervisor\"]},\"org_id\":{\"type\":\"integer\"},"               \
	"\"phone\":{\"type\":\"string\"},\"email\":{\"type\":\"string\"}"
#define EXPERT_UPDATE_SCHEMA                                                                       \
	"{\"type\":\"object\",\"required\":[\"name\",\"id_number\",\"org_id\"],"                   \
	"\"properties\":{" EXPERT_PERSON_PROPS "}}"
#define EXPERT_CREATE_SCHEMA                                                                       \
	"{\"type\":\"object\",\"required\":[\"name\",\"id_number\",\"role\",\"org_id\","           \
	"\"certificates\"],\"properties\":{" EXPERT_PERSON_PROPS ",\"certificates\":{"             \
	"\"type\":\"array\",\"minItems\":1,\"items\":" EXPERT_CERT_SCHEMA "}}}"

/* org, reference data and audit (lib/org, lib/ref, lib/audit) */
#define S_STR "{\"type\":\"string\"}"
#define S_STR_NULL "{\"type\":\"string\",\"nullable\":true}"
#define S_INT "{\"type\":\"integer\"}"
#define S_ID_NAME                                                                                  \
	"{\"type\":\"object\",\"nullable\":true,\"properties\":{\"id\":" S_INT ",\"name\":" S_STR  \
	"}}"
#define S_ITEMS(item)                                                                              \
	"{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":" item "}}}"
#define S_PAGE(item)                                                                               \
	"{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":" item       \
	"},\"total\":" S_INT ",\"page\":" S_INT ",\"per_page\":" S_INT "}}"
#define OCCUPATION_SCHEMA                                                                          \
	"{\"type\":\"object\",\"properties\":{\"id\":" S_INT ",\"name\":" S_STR                    \
	",\"categories\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"enum\":"             \
	"[\"national\",\"industry\"]}},\"levels\":{\"type\":\"array\",\"items\":" S_INT "},"       \
	"\"aliases\":{\"type\":\"array\",\"items\":" S_STR "},\"directions\":{\"type\":"           \
	"\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"id\":" S_INT                   \
	",\"name\":" S_STR ",\"aliases\":{\"type\":\"array\",\"items\":" S_STR "}}}}}}"
#define LEVEL_SCHEMA                                                                               \
	"{\"type\":\"object\",\"properties\":{\"code\":" S_INT ",\"name\":" S_STR                  \
	",\"grade\":" S_STR ",\"label\":" S_STR "}}"
#define CATEGORY_SCHEMA                                                                            \
	"{\"type\":\"object\",\"properties\":{\"code\":" S_STR ",\"name\":" S_STR "}}"
#define REGION_SCHEMA                                                                              \
	"{\"type\":\"object\",\"properties\":{\"code\":" S_STR ",\"name\":" S_STR                  \
	",\"level\":" S_INT ",\"parent_code\":" S_STR_NULL ",\"has_children\":"                    \
	"{\"type\":\"boolean\"}}}"
#define REGION_PATH_SCHEMA                                                                         \
	"{\"type\":\"object\",\"properties\":{\"code\":" S_STR ",\"name\":" S_STR                  \
	",\"level\":" S_INT ",\"full_name\":" S_STR ",\"path\":{\"type\":\"array\","               \
	"\"items\":{\"type\":\"object\",\"properties\":{\"code\":" S_STR ",\"name\":" S_STR        \
	"}}}}}"
#define ORG_INFO_PROPS                                                                             \
	"\"builder\":" S_STR_NULL ",\"leader_name\":" S_STR_NULL ",\"contact_name\":" S_STR_NULL   \
	",\"phone\":" S_STR_NULL ",\"email\":" S_STR_NULL ",\"postcode\":"                         \
	"{\"type\":\"string\",\"nullable\":true,\"pattern\":\"^[0-9]{6}$\"},"                      \
	"\"address\":" S_STR_NULL
#define ORG_WRITE_PROPS                                                                                       \
	"\"name\":{\"type\":\"string\",\"minLength\":2,\"maxLength\":100},\"code\":"                          \
	"{\"type\":\"string\",\"pattern\":\"^[0-9]{8}$\"},\"kind\":{\"type\":\"string\","                     \
	"\"enum\":[\"level2\",\"station\"]},\"parent_id\":" S_INT ",\"org_type\":{\"type\":"                  \
	"\"string\",\"enum\":[\"分中心\",\"管理站\",\"实训基地\",\"鉴定站\",\"评价机构\"]}," \
	"\"valid_until\":{\"type\":\"string\",\"format\":\"date\",\"nullable\":true},"                        \
	"\"region_code\":{\"type\":\"string\",\"nullable\":true,\"pattern\":\"^[0-9]{6}$\"},"                 \
	"\"scopes\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":"                         \
	"[\"category\",\"occupation_id\"],\"properties\":{\"category\":{\"type\":\"string\","                 \
	"\"enum\":[\"national\",\"industry\"]},\"occupation_id\":" S_INT "}}}," ORG_INFO_PROPS
#define ORG_CREATE_SCHEMA                                                                          \
	"{\"type\":\"object\",\"required\":[\"name\",\"code\",\"kind\",\"parent_id\"],"            \
	"\"properties\":{" ORG_WRITE_PROPS "}}"
#define ORG_UPDATE_SCHEMA "{\"type\":\"object\",\"properties\":{" ORG_WRITE_PROPS "}}"
#define ORG_ITEM_PROPS                                                                             \
	"\"id\":" S_INT ",\"name\":" S_STR ",\"code\":" S_STR ",\"kind\":{\"type\":"               \
	"\"string\",\"enum\":[\"center\",\"level2\",\"station\"]},\"kind_text\":" S_STR            \
	",\"org_type\":" S_STR ",\"parent\":" S_ID_NAME ",\"region\":{\"type\":\"object\","        \
	"\"nullable\":true},\"leader_name\":" S_STR_NULL ",\"contact_name\":" S_STR_NULL           \
	",\"phone\":" S_STR_NULL ",\"valid_until\":{\"type\":\"string\",\"format\":\"date\","      \
	"\"nullable\":true},\"expired\":{\"type\":\"boolean\"},\"frozen\":{\"type\":"              \
	"\"boolean\"},\"status\":{\"type\":\"string\",\"enum\":[\"active\",\"frozen\"]},"          \
	"\"status_text\":" S_STR
#define ORG_ITEM_SCHEMA "{\"type\":\"object\",\"properties\":{" ORG_ITEM_PROPS "}}"
#define ORG_SCHEMA                                                                                 \
	"{\"type\":\"object\",\"properties\":{" ORG_ITEM_PROPS ",\"username\":" S_STR_NULL         \
	"," ORG_INFO_PROPS ",\"scopes\":{\"type\":\"object\",\"properties\":{\"national\":"        \
	"{\"type\":\"array\",\"items\":" S_ID_NAME "},\"industry\":{\"type\":\"array\","           \
	"\"items\":" S_ID_NAME "}}},\"children_count\":" S_INT ",\"pending_change_request\":"      \
	"{\"type\":\"object\",\"nullable\":true},\"created_at\":" S_STR "}}"
#define ORG_CR_CREATE_SCHEMA                                                                       \
	"{\"type\":\"object\",\"required\":[\"reason\"],\"properties\":{" ORG_INFO_PROPS           \
	",\"reason\":{\"type\":\"string\",\"maxLength\":500},\"leader_resume\":{\"type\":"         \
	"\"string\",\"maxLength\":2000}}}"
#define ORG_CR_SCHEMA                                                                              \
	"{\"type\":\"object\",\"properties\":{\"id\":" S_INT ",\"org\":" S_ID_NAME                 \
	",\"status\":{\"type\":\"string\",\"enum\":[\"pending\",\"approved\",\"rejected\"]},"      \
	"\"status_text\":" S_STR ",\"changes\":{\"type\":\"object\"},\"previous\":{\"type\":"      \
	"\"object\"},\"reason\":" S_STR ",\"leader_resume\":" S_STR_NULL ",\"created_at\":" S_STR  \
	",\"requested_by\":" S_ID_NAME ",\"decided_at\":" S_STR_NULL ",\"decided_by\":" S_ID_NAME  \
	",\"comment\":" S_STR_NULL "}}"
#define COMMENT_SCHEMA                                                                             \
	"{\"type\":\"object\",\"properties\":{\"comment\":{\"type\":\"string\","                   \
	"\"maxLength\":500}}}"
#define AUDIT_SCHEMA                                                                               \
	"{\"type\":\"object\",\"properties\":{\"id\":" S_INT ",\"at\":" S_STR                      \
	",\"actor\":" S_ID_NAME ",\"role\":" S_STR_NULL ",\"action\":" S_STR                       \
	",\"object_type\":" S_STR_NULL                                                             \
	",\"object_id\":{\"type\":\"integer\",\"nullable\":true},\"detail\":"                      \
	"{\"type\":\"object\",\"nullable\":true},\"ip\":" S_STR_NULL "}}"

/* annual plans (lib/plan) */
#define PLAN_ITEM_IN                                                                               \
	"{\"type\":\"object\",\"required\":[\"category\",\"level\",\"occupation_id\",\"count\","   \
	"\"train_theory_date\",\"train_practical_date\",\"exam_theory_date\","                     \
	"\"exam_practical_date\",\"standard_equipped\"],\"properties\":{\"category\":{\"type\":"   \
	"\"string\",\"enum\":[\"national\",\"industry\"]},\"level\":{\"type\":\"integer\","        \
	"\"minimum\":1,\"maximum\":5},\"occupation_id\":" S_INT ",\"count\":{\"type\":"            \
	"\"integer\",\"minimum\":1},\"train_theory_date\":{\"type\":\"string\",\"format\":"        \
	"\"date\"},\"train_practical_date\":{\"type\":\"string\",\"format\":\"date\"},"            \
	"\"exam_theory_date\":{\"type\":\"string\",\"format\":\"date\"},\"exam_practical_date\":"  \
	"{\"type\":\"string\",\"format\":\"date\"},\"standard_equipped\":{\"type\":\"boolean\"}}}"
#define PLAN_WRITE_SCHEMA                                                                          \
	"{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"year\":{\"type\":"        \
	"\"integer\",\"minimum\":2000,\"maximum\":2100},\"items\":{\"type\":\"array\","            \
	"\"minItems\":1,\"maxItems\":200,\"items\":" PLAN_ITEM_IN "}}}"
#define PLAN_ITEM_PROPS                                                                            \
	"\"id\":" S_INT ",\"code\":" S_STR_NULL ",\"year\":" S_INT ",\"org\":" S_ID_NAME           \
	",\"status\":{\"type\":\"string\",\"enum\":[\"draft\",\"level2_review\","                  \
	"\"center_review\",\"approved\",\"rejected\"]},\"status_text\":" S_STR                     \
	",\"item_count\":" S_INT ",\"total_count\":" S_INT ",\"created_at\":" S_STR                \
	",\"submitted_at\":" S_STR_NULL ",\"updated_at\":" S_STR
#define PLAN_ITEM_SCHEMA "{\"type\":\"object\",\"properties\":{" PLAN_ITEM_PROPS "}}"
#define PLAN_SCHEMA                                                                                \
	"{\"type\":\"object\",\"properties\":{" PLAN_ITEM_PROPS ",\"level2_org\":" S_ID_NAME       \
	",\"last_comment\":" S_STR_NULL ",\"actions\":{\"type\":\"array\",\"items\":"              \
	"{\"type\":\"string\",\"enum\":[\"edit\",\"submit\",\"approve\",\"reject\"]}},"            \
	"\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},\"trail\":{\"type\":"      \
	"\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"at\":" S_STR                   \
	",\"actor\":" S_STR ",\"action\":" S_STR ",\"action_text\":" S_STR                         \
	",\"comment\":" S_STR_NULL "}}}}}"
#define PLAN_OVERVIEW_SCHEMA                                                                       \
	"{\"type\":\"object\",\"properties\":{\"year\":" S_INT ",\"years\":{\"type\":"             \
	"\"array\",\"items\":" S_INT "},\"plans\":" S_INT ",\"total\":" S_INT ",\"items\":"        \
	"{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"                      \
	"\"occupation\":" S_ID_NAME ",\"level\":" S_INT ",\"level_text\":" S_STR                   \
	",\"national\":" S_INT ",\"industry\":" S_INT ",\"count\":" S_INT "}}}}}"

/* batches and files (lib/batch, lib/file) */
#define BATCH_ITEM_IN                                                                              \
	"{\"type\":\"object\",\"required\":[\"category\",\"exam_date\",\"level\","                 \
	"\"occupation_id\",\"count\",\"chief_assessor_id\",\"assessor_ids\"],\"properties\":{"     \
	"\"category\":{\"type\":\"string\",\"enum\":[\"national\",\"industry\"]},"                 \
	"\"in_annual_plan\":{\"type\":\"boolean\"},\"dual_cert\":{\"type\":\"boolean\"},"          \
	"\"exam_date\":{\"type\":\"string\",\"format\":\"date\"},\"level\":{\"type\":"             \
	"\"integer\",\"minimum\":1,\"maximum\":5},\"occupation_id\":" S_INT ",\"direction_id\":"   \
	"{\"type\":\"integer\",\"nullable\":true},\"count\":{\"type\":\"integer\",\"minimum\":1,"  \
	"\"maximum\":100},\"standard_equipped\":{\"type\":\"boolean\"},\"chief_assessor_"          \
	"id\":" S_INT ",\"assessor_ids\":{\"type\":\"array\",\"minItems\":1,\"items\":" S_INT "}," \
	"\"syllabus_file_id\":{\"type\":\"integer\",\"nullable\":true}}}"
#define BATCH_FORM                                                                                 \
	"{\"type\":\"object\",\"required\":[\"items\"],\"properties\":{\"items\":{\"type\":"       \
	"\"array\",\"minItems\":1,\"items\":" BATCH_ITEM_IN "}}}"
#define S_ID_NAMES "{\"type\":\"array\",\"items\":" S_ID_NAME "}"
#define BATCH_ITEM_OUT                                                                             \
	"{\"type\":\"object\",\"properties\":{\"id\":" S_INT ",\"category\":" S_STR                \
	",\"category_text\":" S_STR ",\"in_annual_plan\":{\"type\":\"boolean\"},\"dual_cert\":"    \
	"{\"type\":\"boolean\"},\"exam_date\":" S_STR ",\"registration_closes_on\":" S_STR         \
	",\"level\":" S_INT ",\"level_text\":" S_STR ",\"occupation\":" S_ID_NAME                  \
	",\"direction\":" S_ID_NAME ",\"count\":" S_INT ",\"enrolled\":" S_INT                     \
	",\"standard_equipped\":{\"type\":\"boolean\"},\"chief_assessor\":" S_ID_NAME              \
	",\"assessors\":" S_ID_NAMES ",\"chief_supervisor\":" S_ID_NAME                            \
	",\"supervisors\":" S_ID_NAMES ",\"syllabus_file\":" S_ID_NAME "}}"
#define BATCH_LIST_ITEM                                                                            \
	"{\"type\":\"object\",\"properties\":{\"id\":" S_INT ",\"name\":" S_STR                    \
	",\"code\":" S_STR_NULL ",\"org\":" S_ID_NAME ",\"status\":" S_STR                         \
	",\"status_text\":" S_STR ",\"phase\":" S_INT ",\"created_at\":" S_STR                     \
	",\"updated_at\":" S_STR ",\"item_count\":" S_INT                                          \
	",\"waiting_for_me\":{\"type\":\"boolean\"}}}"
#define BATCH_SCHEMA                                                                               \
	"{\"type\":\"object\",\"properties\":{\"id\":" S_INT ",\"name\":" S_STR                    \
	",\"code\":" S_STR_NULL ",\"org\":" S_ID_NAME ",\"status\":" S_STR                         \
	",\"status_text\":" S_STR ",\"phase\":" S_INT ",\"created_at\":" S_STR                     \
	",\"updated_at\":" S_STR ",\"submitted_at\":" S_STR_NULL ",\"approved_at\":" S_STR_NULL    \
	",\"registration_closes_on\":" S_STR_NULL                                                  \
	",\"actions\":{\"type\":\"array\",\"items\":" S_STR                                        \
	"},\"items\":{\"type\":\"array\",\"items\":" BATCH_ITEM_OUT "},\"trail\":{"                \
	"\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"at\":" S_STR          \
	",\"actor\":" S_STR ",\"action\":" S_STR ",\"comment\":" S_STR_NULL ",\"text\":" S_STR     \
	",\"item_id\":{\"type\":\"integer\",\"nullable\":true}}}}}}"
#define BATCH_ACTION_SCHEMA                                                                        \
	"{\"type\":\"object\",\"properties\":{\"comment\":{\"type\":\"string\",\"maxLength\":"     \
	"500},\"carrier\":" S_STR ",\"tracking_no\":" S_STR "}}"
#define BATCH_ASSESSORS_SCHEMA                                                                     \
	"{\"type\":\"object\",\"required\":[\"chief_assessor_id\",\"assessor_ids\"],"              \
	"\"properties\":{\"chief_assessor_id\":" S_INT ",\"assessor_ids\":{\"type\":\"array\","    \
	"\"minItems\":1,\"items\":" S_INT "}}}"
#define BATCH_SUPERVISORS_SCHEMA                                                                   \
	"{\"type\":\"object\",\"properties\":{\"chief_supervisor_id\":{\"type\":\"integer\","      \
	"\"nullable\":true},\"supervisor_ids\":{\"type\":\"array\",\"items\":" S_INT "}}}"
#define BATCH_STATUSES_SCHEMA                                                                      \
	"{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":{"           \
	"\"type\":\"object\",\"properties\":{\"code\":" S_STR ",\"phase\":" S_INT                  \
	",\"text\":" S_STR ",\"label\":" S_STR                                                     \
	"}}},\"transitions\":{\"type\":\"array\",\"items\":{\"type\":"                             \
	"\"object\",\"properties\":{\"from\":" S_STR ",\"action\":" S_STR ",\"roles\":{\"type\":"  \
	"\"array\",\"items\":" S_STR "},\"to\":" S_STR ",\"when\":" S_STR ",\"implemented\":"      \
	"{\"type\":\"boolean\"}}}}}}"
#define FILE_SCHEMA                                                                                \
	"{\"type\":\"object\",\"properties\":{\"id\":" S_INT ",\"name\":" S_STR ",\"size\":" S_INT \
	",\"mime\":" S_STR ",\"kind\":{\"type\":\"string\",\"enum\":[\"doc\",\"docx\","            \
	"\"xlsx\",\"jpg\",\"png\"]},\"sha256\":" S_STR "}}"

/* question bank and papers (lib/paper) */
#define PQ_SUMMARY_PROPS                                                                           \
	"\"id\":{\"type\":\"integer\"},\"type\":{\"type\":\"string\",\"enum\":[\"single\","        \
	"\"multi\",\"judge\"]},\"type_text\":{\"type\":\"string\"},\"kind\":{\"type\":"            \
	"\"string\",\"enum\":[\"basic\",\"related\"]},\"kind_text\":{\"type\":\"string\"},"        \
	"\"stem\":{\"type\":\"string\"},\"options\":{\"type\":\"array\",\"items\":{\"type\":"      \
	"\"string\"}},\"answer\":{\"type\":\"string\"}"
#define PQ_IDNAME                                                                                  \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"name\":{\"type\":"   \
	"\"string\"}}}"
#define BANK_QUESTION_SCHEMA                                                                       \
	"{\"type\":\"object\",\"properties\":{" PQ_SUMMARY_PROPS ",\"org\":" PQ_IDNAME             \
	",\"occupation\":" PQ_IDNAME ",\"level\":{\"type\":\"integer\"},\"level_text\":"           \
	"{\"type\":\"string\"},\"near_of\":{\"type\":\"object\",\"nullable\":true,"                \
	"\"properties\":{" PQ_SUMMARY_PROPS "}},\"similarity\":{\"type\":\"number\","              \
	"\"nullable\":true},\"editable\":{\"type\":\"boolean\"},\"created_at\":{\"type\":"         \
	"\"string\"},\"updated_at\":{\"type\":\"string\",\"nullable\":true}}}"
#define BANK_LIST_SCHEMA                                                                           \
	"{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\","                      \
	"\"items\":" BANK_QUESTION_SCHEMA "},\"total\":{\"type\":\"integer\"},\"page\":{\"type\":" \
	"\"integer\"},\"per_page\":{\"type\":\"integer\"}}}"
#define BANK_EDIT_SCHEMA                                                                           \
	"{\"type\":\"object\",\"required\":[\"type\",\"kind\",\"stem\",\"answer\"],"               \
	"\"properties\":{\"type\":{\"type\":\"string\",\"enum\":[\"single\",\"multi\","            \
	"\"judge\"]},\"kind\":{\"type\":\"string\",\"enum\":[\"basic\",\"related\"]},\"stem\":"    \
	"{\"type\":\"string\",\"maxLength\":2000},\"options\":{\"type\":\"array\",\"maxItems\":"   \
	"4,\"items\":{\"type\":\"string\"}},\"answer\":{\"type\":\"string\"},\"near_of\":"         \
	"{\"type\":\"integer\",\"nullable\":true,\"description\":\"null clears the "               \
	"near-duplicate flag\"}}}"
#define BANK_IMPORT_SCHEMA                                                                         \
	"{\"type\":\"object\",\"properties\":{\"dry_run\":{\"type\":\"boolean\"},"                 \
	"\"occupation\":" PQ_IDNAME ",\"level\":{\"type\":\"integer\"},\"rows\":{\"type\":"        \
	"\"integer\"},\"template_rows\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}},"    \
	"\"valid\":{\"type\":\"integer\"},\"new\":{\"type\":\"integer\"},\"imported\":"            \
	"{\"type\":\"integer\"},\"import_id\":{\"type\":\"integer\",\"nullable\":true},"           \
	"\"duplicate_count\":{\"type\":\"integer\"},\"duplicates\":{\"type\":\"array\","           \
	"\"items\":{\"type\":\"object\"}},\"near_duplicate_count\":{\"type\":\"integer\"},"        \
	"\"near_duplicates\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"                \
	"\"bad_rows\":{\"type\":\"integer\"},\"error_count\":{\"type\":\"integer\"},"              \
	"\"errors\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"           \
	"\"row\":{\"type\":\"integer\"},\"field\":{\"type\":\"string\"},\"rule\":{\"type\":"       \
	"\"string\"},\"message\":{\"type\":\"string\"}}}}}}"
#define PQ_COUNTS                                                                                  \
	"{\"type\":\"object\",\"properties\":{\"basic\":{\"type\":\"integer\",\"minimum\":0,"      \
	"\"maximum\":1000},\"related\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000}}}"
#define SCHEME_CREATE_SCHEMA                                                                       \
	"{\"type\":\"object\",\"required\":[\"level\",\"minutes\"],\"properties\":{\"level\":"     \
	"{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},\"occupation_id\":{\"type\":"          \
	"\"integer\"},\"occupation\":{\"type\":\"string\"},\"minutes\":{\"type\":\"integer\","     \
	"\"minimum\":1,\"maximum\":600},\"single\":" PQ_COUNTS ",\"multi\":" PQ_COUNTS             \
	",\"judge\":" PQ_COUNTS "}}"
#define SCHEME_SCHEMA                                                                              \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"                      \
	"\"occupation\":" PQ_IDNAME                                                                \
	",\"level\":{\"type\":\"integer\"},\"level_text\":{\"type\":\"string\"},"                  \
	"\"minutes\":{\"type\":\"integer\"},\"single\":{\"type\":\"object\"},\"multi\":"           \
	"{\"type\":\"object\"},\"judge\":{\"type\":\"object\"},\"total\":{\"type\":"               \
	"\"integer\"},\"papers\":{\"type\":\"integer\"},\"created_at\":{\"type\":\"string\"}}}"
#define PAPER_SCHEMA                                                                               \
	"{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"title\":"            \
	"{\"type\":\"string\"},\"source\":{\"type\":\"string\",\"enum\":[\"scheme\","              \
	"\"upload\"]},\"scheme_id\":{\"type\":\"integer\",\"nullable\":true},\"set_no\":"          \
	"{\"type\":\"integer\"},\"org\":" PQ_IDNAME ",\"occupation\":" PQ_IDNAME ",\"level\":"     \
	"{\"type\":\"integer\"},\"level_text\":{\"type\":\"string\"},\"minutes\":{\"type\":"       \
	"\"integer\",\"nullable\":true},\"counts\":{\"type\":\"object\"},\"question_count\":"      \
	"{\"type\":\"integer\"},\"editable\":{\"type\":\"boolean\"},\"created_at\":{\"type\":"     \
	"\"string\"}}}"
#define PAPER_QUESTION_SCHEMA                                                                      \
	"{\"type\":\"object\",\"properties\":{" PQ_SUMMARY_PROPS ",\"no\":{\"type\":"              \
	"\"integer\"},\"question_id\":{\"type\":\"integer\",\"nullable\":true}}}"
#define PQ_LIST(item)                                                                              \
	"{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":" item       \
	"},\"total\":{\"type\":\"integer\"},\"page\":{\"type\":\"integer\"},\"per_page\":"         \
	"{\"type\":\"integer\"}}}"

const struct route routes[] = {
    ROUTE("GET", "/api/health", h_health, R_PUBLIC, ROUTE_NO_DB, "system",
	  "服务健康检查：数据库连接与数据库结构版本（版本不符时 503）", NULL, HEALTH_SCHEMA),
    ROUTE("GET", "/api/openapi.json", h_openapi, R_PUBLIC, ROUTE_NO_DB, "system",
	  "本接口的 OpenAPI 3.0 描述，由路由表生成", NULL, "{\"type\":\"object\"}"),

    /* 站内信 (lib/message) */
    ROUTE("GET", "/api/messages", h_messages, R_ANY, 0, "message",
	  "站内信列表（最新在前，?unread=1 只看未读）", NULL, NULL),
    ROUTE("GET", "/api/messages/unread-count", h_messages_unread, R_ANY, 0, "message",
	  "未读站内信数量", NULL, NULL),
    ROUTE("POST", "/api/messages/:id/read", h_message_read, R_ANY, 0, "message",
	  "标记一条站内信为已读", NULL, NULL),
    ROUTE("POST", "/api/messages/read-all", h_messages_read_all, R_ANY, 0, "message",
	  "全部标为已读", NULL, NULL),

    /* auth and accounts (lib/auth) */
    ROUTE("POST", "/api/auth/login", h_login, R_PUBLIC, ROUTE_NO_CSRF, "auth",
	  "登录（机构、考评员、督导员、考生），设置会话 Cookie 并返回 CSRF 令牌", LOGIN_SCHEMA,
	  ME_SCHEMA),
    ROUTE("POST", "/api/auth/logout", h_logout, R_ANY, ROUTE_PW_CHANGE, "auth", "退出登录", NULL,
	  NULL),
    ROUTE("GET", "/api/auth/me", h_me, R_ANY, ROUTE_PW_CHANGE, "auth",
	  "当前登录用户（与登录返回相同）", NULL, ME_SCHEMA),
    ROUTE("POST", "/api/auth/password", h_password, R_ANY, ROUTE_PW_CHANGE, "auth",
	  "修改密码（结束该账号的其他会话）", PASSWORD_SCHEMA, ME_SCHEMA),
    ROUTE("GET", "/api/auth/logins", h_logins, R_ANY, 0, "auth", "登录历史（分页）", NULL, NULL),
    ROUTE("POST", "/api/auth/forgot", h_forgot, R_PUBLIC, ROUTE_NO_CSRF, "auth",
	  "找回密码：向预留邮箱发送重设链接（无论账号是否存在，回答相同）",
	  "{\"type\":\"object\",\"properties\":{\"kind\":{\"type\":\"string\"},"
	  "\"username\":{\"type\":\"string\"}}}",
	  NULL),
    ROUTE("POST", "/api/auth/reset", h_reset, R_PUBLIC, ROUTE_NO_CSRF, "auth",
	  "用重设链接中的令牌设置新密码（结束该账号的全部会话）",
	  "{\"type\":\"object\",\"properties\":{\"token\":{\"type\":\"string\"},"
	  "\"new_password\":{\"type\":\"string\"}}}",
	  NULL),
    ROUTE("POST", "/api/candidates/register", h_register, R_PUBLIC, ROUTE_NO_CSRF, "auth",
	  "考生注册（身份证号按 R29 校验）", REGISTER_SCHEMA, NULL),
    ROUTE("GET", "/api/account", h_account_get, R_ANY, 0, "auth", "账号管理：本人账号信息", NULL,
	  NULL),
    ROUTE("PUT", "/api/account", h_account_put, R_CANDIDATE, 0, "auth",
	  "账号管理：考生修改邮箱和手机号",
	  "{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\"},"
	  "\"phone\":{\"type\":\"string\"}}}",
	  NULL),
    /* experts (lib/expert): 考评员/督导员管理, 我的证书, R9 */
    ROUTE("GET", "/api/experts", h_expert_list, R_CENTER | R_ORG | R_EXPERT, 0, "experts",
	  "考评员/督导员列表（本机构及下属机构；按证书号、关键词、类型等筛选，分页；"
	  "?format=xlsx|csv 导出）",
	  NULL, EXPERT_LIST_SCHEMA),
    ROUTE("GET", "/api/experts/eligible", h_expert_eligible, R_CENTER | R_ORG, 0, "experts",
	  "R9：某机构在考试日期可担任某职业/工种考评的考评员（批次表单选择考评组长和考评员）", NULL,
	  EXPERT_LIST_SCHEMA),
    ROUTE("GET", "/api/experts/:id", h_expert_get, R_CENTER | R_ORG | R_EXPERT, 0, "experts",
	  "考评员/督导员详情（含证书）", NULL, EXPERT_SCHEMA),
    ROUTE("POST", "/api/experts", h_expert_create, R_CENTER, 0, "experts",
	  "新增考评员/督导员（中心）：同时开通以身份证号登录的账号，初始密码为身份证号后六位",
	  EXPERT_CREATE_SCHEMA, EXPERT_SCHEMA),
    ROUTE("PUT", "/api/experts/:id", h_expert_update, R_CENTER, 0, "experts",
	  "修改考评员/督导员信息（中心）", EXPERT_UPDATE_SCHEMA, EXPERT_SCHEMA),
    ROUTE("POST", "/api/experts/:id/certificates", h_expert_cert_add, R_CENTER, 0, "experts",
	  "为考评员/督导员登记证书（中心）", EXPERT_CERT_SCHEMA, EXPERT_SCHEMA),
    ROUTE("PUT", "/api/experts/:id/certificates/:cert_id", h_expert_cert_update, R_CENTER, 0,
	  "experts", "修改考评员/督导员的证书（中心，如换证后的有效期）", EXPERT_CERT_SCHEMA,
	  EXPERT_SCHEMA),
    ROUTE("DELETE", "/api/experts/:id/certificates/:cert_id", h_expert_cert_delete, R_CENTER, 0,
	  "experts", "删除考评员/督导员的证书（中心；唯一的证书不能删除）", NULL, EXPERT_SCHEMA),
    ROUTE("GET", "/api/expert/certificates", h_expert_my_certs, R_EXPERT, 0, "experts",
	  "我的证书：当前考评、督导人员的全部证书", NULL, EXPERT_CERT_LIST_SCHEMA),
    /* reference data (lib/ref): occupations and regions are public (landing page, registration) */
    ROUTE("GET", "/api/ref/occupations", h_ref_occupations, R_PUBLIC, 0, "ref",
	  "职业/工种及其职业方向（?q= 按名称、别名、方向检索，?category= 按类别）", NULL,
	  S_ITEMS(OCCUPATION_SCHEMA)),
    ROUTE("GET", "/api/ref/levels", h_ref_levels, R_ANY, 0, "ref",
	  "等级：5 初级/五级 … 1 高级技师/一级", NULL, S_ITEMS(LEVEL_SCHEMA)),
    ROUTE("GET", "/api/ref/categories", h_ref_categories, R_ANY, 0, "ref",
	  "类别：national 国家职业技能鉴定、industry 行业能力水平评价", NULL,
	  S_ITEMS(CATEGORY_SCHEMA)),
    ROUTE("GET", "/api/ref/regions", h_ref_regions, R_PUBLIC, 0, "ref",
	  "行政区划（GB/T 2260）：无 parent 时为省级，?parent=代码 为其下级", NULL,
	  S_ITEMS(REGION_SCHEMA)),
    ROUTE("GET", "/api/ref/regions/:code", h_ref_region, R_PUBLIC, 0, "ref",
	  "一个行政区划及其从省级起的路径", NULL, REGION_PATH_SCHEMA),
    /* organisations (lib/org): 机构信息, 机构管理, 信息变更审核, 冻结 */
    ROUTE("GET", "/api/orgs", h_org_list, R_CENTER | R_ORG | R_EXPERT, 0, "orgs",
	  "机构列表（本人可见范围：中心全部，二级机构本机构及下属，鉴定站本机构；"
	  "?q=&kind=&parent_id=&frozen= 筛选，分页；?format=xlsx|csv 导出）",
	  NULL, S_PAGE(ORG_ITEM_SCHEMA)),
    ROUTE("GET", "/api/orgs/:id", h_org_get, R_CENTER | R_ORG | R_EXPERT, 0, "orgs",
	  "机构信息（全部字段、鉴定范围、区域范围）", NULL, ORG_SCHEMA),
    ROUTE("POST", "/api/orgs", h_org_create, R_CENTER, 0, "orgs",
	  "新增机构（中心）：同时开通以机构全称登录的账号，初始密码为机构代码", ORG_CREATE_SCHEMA,
	  ORG_SCHEMA),
    ROUTE("PUT", "/api/orgs/:id", h_org_update, R_CENTER, 0, "orgs",
	  "修改机构信息和鉴定范围（中心）", ORG_UPDATE_SCHEMA, ORG_SCHEMA),
    ROUTE("POST", "/api/orgs/:id/actions/:action", h_org_action, R_CENTER | R_ORG2, 0, "orgs",
	  "冻结 freeze / 解冻 unfreeze 机构账号（二级机构对下属机构，中心对任一机构）", NULL,
	  ORG_SCHEMA),
    ROUTE("POST", "/api/orgs/:id/change-requests", h_org_cr_create, R_ORG, 0, "orgs",
	  "申请修改本机构信息（待中心审批；更换负责人须附简历）", ORG_CR_CREATE_SCHEMA,
	  ORG_CR_SCHEMA),
    ROUTE("GET", "/api/org-change-requests", h_org_cr_list, R_CENTER | R_ORG, 0, "orgs",
	  "机构信息变更申请（中心：全部；机构：本机构的；?status=&org_id=，分页）", NULL,
	  S_PAGE(ORG_CR_SCHEMA)),
    ROUTE("GET", "/api/org-change-requests/:id", h_org_cr_get, R_CENTER | R_ORG, 0, "orgs",
	  "一条机构信息变更申请（变更前后的值）", NULL, ORG_CR_SCHEMA),
    ROUTE("POST", "/api/org-change-requests/:id/actions/:action", h_org_cr_action, R_CENTER, 0,
	  "orgs", "审核机构信息变更申请：approve 通过（同时生效）/ reject 驳回（须填意见）",
	  COMMENT_SCHEMA, ORG_CR_SCHEMA),
    /* audit (lib/audit): 操作日志 */
    ROUTE("GET", "/api/audit", h_audit_list, R_CENTER, 0, "audit",
	  "操作日志（中心）：?actor=&action=&object_type=&object_id=&from=&to=，最新在前，分页",
	  NULL, S_PAGE(AUDIT_SCHEMA)),
    /* annual plans (lib/plan): 年度计划管理, 年度计划审核, 计划汇总 (R1-R3) */
    ROUTE("GET", "/api/plans/export", h_plan_export, R_CENTER | R_ORG, 0, "plans",
	  "R3 导出所选年度计划（?ids=1,2&format=csv|xlsx，每个条目一行；须均在本人可见范围内，"
	  "否则 404）",
	  NULL, NULL),
    ROUTE("GET", "/api/plans/overview", h_plan_overview, R_CENTER, 0, "plans",
	  "计划汇总（中心）：某年度审核通过的年度计划按职业/工种和等级合计人数（?year=）", NULL,
	  PLAN_OVERVIEW_SCHEMA),
    ROUTE("GET", "/api/plans", h_plan_list, R_CENTER | R_ORG, 0, "plans",
	  "年度计划列表（本机构的，及下属机构已提交的；?status=&org_id=&year=&q="
	  "（编号或机构名称），status=pending "
	  "为待本人审核；分页；?format=csv|xlsx 导出全部匹配项）",
	  NULL, S_PAGE(PLAN_ITEM_SCHEMA)),
    ROUTE("GET", "/api/plans/:id", h_plan_get, R_CENTER | R_ORG, 0, "plans",
	  "年度计划详情（条目、审批流程、本人可执行的操作）", NULL, PLAN_SCHEMA),
    ROUTE("POST", "/api/plans", h_plan_create, R_ORG, 0, "plans",
	  "新增年度计划（草稿）：每个职业、每个等级一条（R1、R6、R7）", PLAN_WRITE_SCHEMA,
	  PLAN_SCHEMA),
    ROUTE("PUT", "/api/plans/:id", h_plan_update, R_ORG, 0, "plans",
	  "修改草稿或被拒绝的年度计划（替换全部条目）", PLAN_WRITE_SCHEMA, PLAN_SCHEMA),
    ROUTE("POST", "/api/plans/:id/actions/:action", h_plan_action, R_ORG | R_CENTER_STAFF, 0,
	  "plans",
	  "R2 审批流程：submit 提交（鉴定站）/ approve 审核通过 / reject 拒绝（须填审核意见）"
	  "（二级机构，再由中心工作人员）",
	  COMMENT_SCHEMA, PLAN_SCHEMA),
    /* batches (lib/batch): 批次管理 / 批次审核, the one state table (R4-R12, R25) */
    ROUTE("GET", "/api/batches", h_batch_list, R_CENTER | R_ORG, 0, "batches",
	  "批次列表（本人可见范围；?status=状态代码，可逗号分隔；?sort=-updated_at|updated_at|"
	  "-created_at|created_at；?q= 名称或编号；?todo=1 只看等待本人处理的；分页）",
	  NULL, S_PAGE(BATCH_LIST_ITEM)),
    ROUTE("GET", "/api/batches/statuses", h_batch_statuses, R_CENTER | R_ORG, 0, "batches",
	  "批次的全部状态（六个阶段，R25）及状态表（状态 × 操作 × 角色 → 下一状态）", NULL,
	  BATCH_STATUSES_SCHEMA),
    ROUTE("POST", "/api/batches", h_batch_create, R_STATION, 0, "batches",
	  "新增批次申请（鉴定站，保存为草稿；名称按 R12 生成；按 R4–R10 校验）", BATCH_FORM,
	  BATCH_SCHEMA),
    ROUTE("GET", "/api/batches/:id", h_batch_get, R_CENTER | R_ORG, 0, "batches",
	  "批次详情：细则、考评与督导人员、审批流程及意见、本人当前可执行的操作", NULL,
	  BATCH_SCHEMA),
    ROUTE("PUT", "/api/batches/:id", h_batch_update, R_STATION, 0, "batches",
	  "修改草稿或被拒绝的批次申请（整体替换细则）", BATCH_FORM, BATCH_SCHEMA),
    ROUTE("POST", "/api/batches/:id/actions/:action", h_batch_action, R_CENTER | R_ORG, 0,
	  "batches",
	  "批次操作（按状态表）：submit 提交、approve 审核、reject 拒绝（须填意见）、"
	  "submit_registration、submit_scores、issue_certificates、ship、confirm_receipt；"
	  "状态不允许为 409，角色不允许为 403",
	  BATCH_ACTION_SCHEMA, BATCH_SCHEMA),
    ROUTE("PUT", "/api/batches/:id/items/:item_id/assessors", h_batch_assessors, R_CENTER | R_ORG2,
	  0, "batches",
	  "调配考评组长和考评员（审核中的审核人，仅可选符合 R9 的考评员；写入审批流程）",
	  BATCH_ASSESSORS_SCHEMA, BATCH_SCHEMA),
    ROUTE("PUT", "/api/batches/:id/items/:item_id/supervisors", h_batch_supervisors, R_CENTER, 0,
	  "batches", "安排督导组长和督导员（中心审核时；写入审批流程）", BATCH_SUPERVISORS_SCHEMA,
	  BATCH_SCHEMA),
    /* files (lib/file): uploads stored in PostgreSQL, checked by content */
    ROUTE("POST", "/api/files", h_file_upload, R_ANY, 0, "files",
	  "上传文件：原始请求体，Content-Type 为文件类型，X-File-Name 为百分号编码的文件名；"
	  "按内容识别 doc、docx、xlsx、jpg、png（图片 ≤ 1 MB，文档 ≤ 20 MB）",
	  NULL, FILE_SCHEMA),
    ROUTE("GET", "/api/files/:id", h_file_download, R_ANY, 0, "files",
	  "下载文件（上传者、上传机构及其上级审核机构可见，否则 404）", NULL, NULL),
    /* question bank and papers (lib/paper): 我的题库, 组卷方案管理 (R16, R17, R27, R28) */
    ROUTE("GET", "/api/bank/template.xlsx", h_bank_template, R_CENTER | R_ORG, 0, "bank",
	  "下载理论试题导入模板（A–H 列及前六行说明、示例，导入时自动跳过）", NULL, NULL),
    ROUTE("POST", "/api/bank/import", h_bank_import, R_ORG, 0, "bank",
	  "导入题库（R17、R27）：请求体为 xlsx 原文，?occupation_id=（或 occupation=名称/别名）"
	  "&level=[&dry_run=1 只预览不保存]；有错误行时 422 逐行列出且不导入；完全相同的试题跳过，"
	  "相似试题导入并标记",
	  NULL, BANK_IMPORT_SCHEMA),
    ROUTE("GET", "/api/bank/questions", h_bank_list, R_CENTER | R_ORG, 0, "bank",
	  "我的题库：?occupation_id=&level=&type=&kind=&q=（题干检索）&org_id=&near=1，分页；"
	  "二级机构含下属机构，中心全部；?format=xlsx|csv 导出（可再导入）",
	  NULL, BANK_LIST_SCHEMA),
    ROUTE("GET", "/api/bank/stats", h_bank_stats, R_CENTER | R_ORG, 0, "bank",
	  "题库统计：每个职业/工种 × 等级按题型和基础知识/相关知识计数（筛选同列表）", NULL,
	  "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\",\"items\":"
	  "{\"type\":\"object\"}},\"totals\":{\"type\":\"object\"}}}"),
    ROUTE("GET", "/api/bank/questions/:id", h_bank_get, R_CENTER | R_ORG, 0, "bank",
	  "一道试题（含相似试题对照）", NULL, BANK_QUESTION_SCHEMA),
    ROUTE("PUT", "/api/bank/questions/:id", h_bank_update, R_ORG, 0, "bank",
	  "修改本机构题库中的试题（R16 校验；与已有试题完全相同时 409）", BANK_EDIT_SCHEMA,
	  BANK_QUESTION_SCHEMA),
    ROUTE("DELETE", "/api/bank/questions/:id", h_bank_delete, R_ORG, 0, "bank",
	  "删除本机构题库中的试题（已生成的试卷不受影响）", NULL, NULL),
    ROUTE("GET", "/api/schemes", h_scheme_list, R_CENTER | R_ORG, 0, "bank",
	  "组卷方案列表（本机构的，分页）", NULL, PQ_LIST(SCHEME_SCHEMA)),
    ROUTE("POST", "/api/schemes", h_scheme_create, R_CENTER | R_ORG, 0, "bank",
	  "添加组卷方案（R28：初级、中级、高级不少于 90 题、60 分钟，技师、高级技师不少于 120 题、"
	  "90 分钟）",
	  SCHEME_CREATE_SCHEMA, SCHEME_SCHEMA),
    ROUTE("GET", "/api/schemes/:id", h_scheme_get, R_CENTER | R_ORG, 0, "bank", "一个组卷方案",
	  NULL, SCHEME_SCHEMA),
    ROUTE("DELETE", "/api/schemes/:id", h_scheme_delete, R_CENTER | R_ORG, 0, "bank",
	  "删除组卷方案（已生成的试卷保留）", NULL, NULL),
    ROUTE("POST", "/api/schemes/:id/generate", h_scheme_generate, R_CENTER | R_ORG, 0, "bank",
	  "按组卷方案从题库随机抽题生成试卷（{\"sets\": n} 生成多套，尽量不重复；题库不足时 422 "
	  "列出每类缺几道）",
	  "{\"type\":\"object\",\"properties\":{\"sets\":{\"type\":\"integer\",\"minimum\":1,"
	  "\"maximum\":10}}}",
	  "{\"type\":\"object\",\"properties\":{\"paper_id\":{\"type\":\"integer\"},"
	  "\"paper_ids\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}}}"),
    ROUTE("GET", "/api/papers", h_paper_list, R_CENTER | R_ORG, 0, "bank",
	  "按组卷方案生成的试卷（?scheme_id=，分页）", NULL, PQ_LIST(PAPER_SCHEMA)),
    ROUTE("GET", "/api/papers/:id", h_paper_get, R_CENTER | R_ORG, 0, "bank",
	  "一套试卷（题量按题型）", NULL, PAPER_SCHEMA),
    ROUTE("DELETE", "/api/papers/:id", h_paper_delete, R_CENTER | R_ORG, 0, "bank",
	  "删除本机构生成的试卷", NULL, NULL),
    ROUTE("GET", "/api/papers/:id/questions", h_paper_questions, R_CENTER | R_ORG, 0, "bank",
	  "试卷的试题（按题型排列，题号连续）", NULL,
	  "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\","
	  "\"items\":" PAPER_QUESTION_SCHEMA "},\"total\":{\"type\":\"integer\"}}}"),
    ROUTE("DELETE", "/api/papers/:id/questions/:qid", h_paper_question_delete, R_CENTER | R_ORG, 0,
	  "bank", "从试卷中删除一道试题（R18）", NULL, NULL),
    ROUTE("POST", "/api/papers/:id/questions/:qid/replace", h_paper_question_replace,
	  R_CENTER | R_ORG, 0, "bank",
	  "替换试卷中的一道试题：题库中同题型、同类型且不在本试卷中的试题（{\"question_id\"} "
	  "指定，否则随机）",
	  "{\"type\":\"object\",\"properties\":{\"question_id\":{\"type\":\"integer\"}}}",
	  PAPER_QUESTION_SCHEMA),
    ROUTE("GET", "/api/papers/:id/export", h_paper_export, R_CENTER | R_ORG, 0, "bank",
	  "导出试卷（?what=paper）或答案（?what=answers）为 Word（.docx）", NULL, NULL),
    /* enrollment (lib/enroll): 考试报名, 我的报名, 花名册 (R5, R13, R14, R29); shapes in
     * fcgi/api/enroll.json */
    ROUTE("GET", "/api/open-items", h_enroll_open_items, R_ANY, 0, "enroll",
	  "当前可报名的批次职业等级（报名中且未过考试日期前 20 天截止；?org_id=&region=），"
	  "附可选的区域和机构",
	  NULL, NULL),
    ROUTE("POST", "/api/enrollments/preview", h_enroll_preview, R_CANDIDATE, 0, "enroll",
	  "预览报名信息：按 R13 校验并返回规范化的报名表和申报条件提示，不保存", NULL, NULL),
    ROUTE("POST", "/api/enrollments", h_enroll_create, R_CANDIDATE, 0, "enroll",
	  "提交报名（R13：每位考生每个批次职业等级一次，提交后不能修改；报名时间外 409）", NULL,
	  NULL),
    ROUTE("GET", "/api/enrollments/mine", h_enroll_mine, R_CANDIDATE, 0, "enroll",
	  "我的报名：全部报名及状态（等待审核、报名被拒绝及原因、考试完毕）", NULL, NULL),
    ROUTE("GET", "/api/enrollments/:id", h_enroll_get, R_CANDIDATE | R_CENTER | R_ORG, 0, "enroll",
	  "报名详情（本人，或该批次鉴定站及其上级审核机构）", NULL, NULL),
    ROUTE("GET", "/api/enrollments/:id/form.pdf", h_enroll_form_pdf, R_CANDIDATE | R_CENTER | R_ORG,
	  0, "enroll",
	  "个人申报表 PDF（照片、申报信息、盖章处；本人或该批次鉴定站及其上级审核机构）", NULL,
	  NULL),
    ROUTE("POST", "/api/enrollments/:id/stamped-form", h_enroll_stamped, R_CANDIDATE, 0, "enroll",
	  "上传盖章后的个人申报表图片（{\"file_ids\": [...]}，替换原有图片）", NULL, NULL),
    ROUTE("POST", "/api/enrollments/:id/actions/reject", h_enroll_reject, R_CENTER | R_ORG, 0,
	  "enroll", "拒绝单个考生的报名（R14：仅该批次的鉴定站，报名阶段；{\"reason\"}；通知考生）",
	  NULL, NULL),
    ROUTE("GET", "/api/batches/:id/items/:item_id/roster", h_enroll_roster, R_CENTER | R_ORG, 0,
	  "enroll",
	  "花名册（序号、考生来源、姓名、身份证号、年龄、单位/学校、提交时间、状态；"
	  "?format=xlsx 导出）",
	  NULL, NULL),
};

const size_t routes_count = sizeof(routes) / sizeof(routes[0]);
