/* dashboard.h - the center's home (首页): batches by status, pending reviews per step,
 * certificates issued per month, pass rate per occupation. Read-only counts. */
#ifndef KW_DASHBOARD_H
#define KW_DASHBOARD_H

#include <json-c/json.h>

#include "core/ctx.h"

/*
 * {"batches": [{"status", "text", "count", "link"}], "pending": [{"step", "text", "count",
 * "link"}], "certificates": [{"month": "YYYY-MM", "count", "link"}] (the last 12 months),
 * "pass_rates": [{"occupation": {"id", "name"}, "scored", "passed", "rate", "link"}]}.
 * Each link is the SPA list the number counts.
 */
int dashboard_center(struct kw_ctx *c, json_object **out);

#endif
