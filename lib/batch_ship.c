/* batch_ship.c - phase 6 of a batch (R24, R25): the center ships the certificates (carrier from
 * a fixed list with its public tracking page, tracking number) and the station confirms receipt;
 * the guard, what the move stores, and the shipping block of the batch detail. */
#include "batch_int.h"

#include <ctype.h>
#include <string.h>

#include "core/json.h"
#include "db/db.h"

/* The carriers: code, name, public tracking page ({no}: the tracking number). */
static const struct carrier {
	const char *code, *name, *url;
} carriers[] = {
    {"sf", "顺丰", "https://www.sf-express.com/chn/sc/waybill/waybill-detail/{no}"},
    {"ems", "EMS", "https://www.ems.com.cn/queryList?mailNum={no}"},
    {"zto", "中通", "https://www.kuaidi100.com/chaxun?com=zhongtong&nu={no}"},
    {"yto", "圆通", "https://www.kuaidi100.com/chaxun?com=yuantong&nu={no}"},
    {"yunda", "韵达", "https://www.kuaidi100.com/chaxun?com=yunda&nu={no}"},
    {"sto", "申通", "https://www.kuaidi100.com/chaxun?com=shentong&nu={no}"},
    {"jd", "京东", "https://www.jdl.com/orderSearch/?waybillCodes={no}"},
    {"other", "其他", "https://www.kuaidi100.com/chaxun?nu={no}"},
};
#define NCARRIERS (sizeof(carriers) / sizeof(carriers[0]))

static const struct carrier *carrier_find(const char *code)
{
	for (size_t i = 0; code && i < NCARRIERS; i++)
		if (!strcmp(carriers[i].code, code))
			return &carriers[i];
	return NULL;
}

/* The tracking page of a shipment (arena), or NULL. */
static const char *tracking_url(struct kw_ctx *c, const char *carrier, const char *no)
{
	const struct carrier *k = carrier_find(carrier);
	if (!k || !no)
		return NULL;
	return wf_fill(c, k->url, "{no}", no);
}

json_object *batch_carriers_json(struct kw_ctx *c)
{
	json_object *a = kwj_own(c, json_object_new_array());
	for (size_t i = 0; i < NCARRIERS; i++) {
		json_object *o = json_object_new_object();
		kwj_add_str(o, "code", carriers[i].code);
		kwj_add_str(o, "name", carriers[i].name);
		kwj_add_str(o, "url_template", carriers[i].url);
		json_object_array_add(a, o);
	}
	return a;
}

/* What the ship guard checked, for the move. */
struct ship_ext {
	const char *carrier, *tracking_no;
};

int batch_guard_ship(struct kw_ctx *c, struct wf_subject *s, const struct wf_row *r,
		     json_object *body)
{
	(void)r;
	const char *carrier = NULL;
	json_object *v = NULL;
	if (!body)
		return kw_fail(c, KW_EBADREQ, "请填写快递公司和快递单号");
	if (kwj_get_string(c, body, "carrier", NULL, KWJ_REQUIRED, 20, &carrier) &&
	    !carrier_find(carrier))
		kw_field_error(c, "carrier", 0, "enum",
			       "快递公司应为顺丰、EMS、中通、圆通、韵达、申通、京东或其他");
	/* Taken as sent (the trail line quotes the body): letters and digits only, 8-30. */
	const char *no = json_object_object_get_ex(body, "tracking_no", &v) &&
				 json_object_is_type(v, json_type_string)
			     ? json_object_get_string(v)
			     : NULL;
	size_t n = no ? strlen(no) : 0;
	bool ok = n >= 8 && n <= 30;
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)no[i]);
	if (!no || !n)
		kw_field_error(c, "tracking_no", 0, "required", "请填写快递单号");
	else if (!ok)
		kw_field_error(c, "tracking_no", 0, "format", "快递单号应为 8 到 30 位字母或数字");
	int err = kw_validation_result(c);
	if (err)
		return err;
	struct ship_ext *x = arena_alloc(c->a, sizeof(*x));
	x->carrier = carrier;
	x->tracking_no = no;
	s->ext = x;
	return KW_OK;
}

static struct db_stmt q_shipped =
    DB_STMT("batch_shipped",
	    "UPDATE batches SET carrier = $2, tracking_no = $3, shipped_at = $4::timestamptz,"
	    " received_at = NULL WHERE id = $1");
static struct db_stmt q_received =
    DB_STMT("batch_received", "UPDATE batches SET received_at = $2::timestamptz WHERE id = $1");

int batch_ship_move(struct kw_ctx *c, struct wf_subject *s, const struct wf_move *m)
{
	int err;
	if (m->row->action == BA_SHIP) {
		const struct ship_ext *x = s->ext;
		if (!x)
			return kw_fail(c, KW_EINTERNAL, NULL);
		return db_query(c, &q_shipped, &err, db_ltoa(c, s->id), x->carrier, x->tracking_no,
				m->now)
			   ? KW_OK
			   : err;
	}
	if (m->row->action == BA_CONFIRM_RECEIPT)
		return db_query(c, &q_received, &err, db_ltoa(c, s->id), m->now) ? KW_OK : err;
	return KW_OK;
}

static struct db_stmt q_shipping =
    DB_STMT("batch_shipping",
	    "SELECT b.carrier, b.tracking_no, kw_ts(b.shipped_at) AS shipped_at,"
	    " kw_ts(b.received_at) AS received_at,"
	    " (SELECT count(*) FROM certificates ce WHERE ce.batch_id = b.id) AS certificate_count"
	    " FROM batches b WHERE b.id = $1");

int batch_shipping_json(struct kw_ctx *c, long id, json_object **out)
{
	int err;
	*out = NULL;
	PGresult *res = db_query(c, &q_shipping, &err, db_ltoa(c, id));
	if (!res)
		return err;
	if (!PQntuples(res))
		return kw_fail(c, KW_ENOTFOUND, "批次不存在");
	const char *carrier = db_val(res, 0, "carrier"), *no = db_val(res, 0, "tracking_no");
	const struct carrier *k = carrier_find(carrier);
	json_object *o = kwj_own(c, json_object_new_object());
	kwj_add_str(o, "carrier", carrier);
	kwj_add_str(o, "carrier_name", k ? k->name : NULL);
	kwj_add_str(o, "tracking_no", no);
	kwj_add_str(o, "tracking_url", tracking_url(c, carrier, no));
	kwj_add_str(o, "shipped_at", db_val(res, 0, "shipped_at"));
	kwj_add_str(o, "received_at", db_val(res, 0, "received_at"));
	kwj_add_int(o, "certificate_count", db_long(res, 0, "certificate_count"));
	*out = o;
	return KW_OK;
}
