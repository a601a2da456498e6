/* idcard.c - GB 11643 ID number checks and derived sex, birth date and age (R29). */
#include "idcard.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"

static bool valid_date(int y, int m, int d)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1)
		return false;
	int max = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		max = 29;
	return d <= max;
}

bool idcard_check(const char *id, time_t now, struct idcard_info *out)
{
	static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char check[] = "10X98765432";
	if (!id || strlen(id) != 18)
		return false;
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		if (!isdigit((unsigned char)id[i]))
			return false;
		sum += (id[i] - '0') * weight[i];
	}
	char last = (char)toupper((unsigned char)id[17]);
	if (last != check[sum % 11])
		return false;
	int y = 0, m = 0, d = 0;
	for (int i = 6; i < 10; i++)
		y = y * 10 + (id[i] - '0');
	m = (id[10] - '0') * 10 + (id[11] - '0');
	d = (id[12] - '0') * 10 + (id[13] - '0');
	if (y < 1900 || !valid_date(y, m, d))
		return false;
	char today[16], birth[16];
	kw_format_date(now, today, sizeof(today));
	snprintf(birth, sizeof(birth), "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	if (strcmp(birth, today) > 0)
		return false;
	if (out) {
		memcpy(out->normalized, id, 17);
		out->normalized[17] = last;
		out->normalized[18] = '\0';
		out->year = y;
		out->month = m;
		out->day = d;
		out->sex = (id[16] - '0') % 2 ? 'M' : 'F';
		memcpy(out->birth_date, birth, sizeof(out->birth_date));
	}
	return true;
}

int idcard_age(const struct idcard_info *info, time_t at)
{
	char today[16];
	int y, m, d;
	kw_format_date(at, today, sizeof(today));
	if (sscanf(today, "%d-%d-%d", &y, &m, &d) != 3)
		return 0;
	int age = y - info->year;
	if (m < info->month || (m == info->month && d < info->day))
		age--;
	return age < 0 ? 0 : age;
}
