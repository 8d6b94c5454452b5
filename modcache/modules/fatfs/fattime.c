/* Conversion between Unix seconds and FAT's packed local date/time fields (taken as UTC). */
#include "fatfs.h"

#define FAT_EPOCH 315532800ULL	     /* 1980-01-01 00:00:00 */
#define FAT_TIME_LIMIT 4354819200ULL /* 2108-01-01 00:00:00: past what 7 year bits hold */

/* Days since 1970-01-01 of a proleptic Gregorian date (y >= 1970): integer only, no tables. */
static uint64_t days_from_civil(uint32_t y, uint32_t m, uint32_t d)
{
	uint32_t yoe, doy, doe;

	y -= m <= 2;
	yoe = y % 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)(y / 400) * 146097 + doe - 719468;
}

static void civil_from_days(uint64_t days, uint32_t *y, uint32_t *m, uint32_t *d)
{
	uint64_t z = days + 719468;
	uint32_t era = (uint32_t)(z / 146097);
	uint32_t doe = (uint32_t)(z - (uint64_t)era * 146097);
	uint32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	uint32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	uint32_t mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

void fat_time_now(const struct mv_fs *fs, uint16_t *date, uint16_t *time, uint8_t *tenth)
{
	uint64_t t = fs->ks->wall_time_s ? fs->ks->wall_time_s(fs->ks->ctx) : 0;
	uint32_t y, m, d, secs;

	if (t < FAT_EPOCH)
		t = FAT_EPOCH;
	if (t >= FAT_TIME_LIMIT)
		t = FAT_TIME_LIMIT - 1;
	civil_from_days(t / 86400, &y, &m, &d);
	secs = (uint32_t)(t % 86400);
	*date = (uint16_t)(((y - 1980) << 9) | (m << 5) | d);
	*time = (uint16_t)(((secs / 3600) << 11) | (((secs / 60) % 60) << 5) | ((secs % 60) / 2));
	if (tenth)
		*tenth = (uint8_t)((secs % 2) * 100);
}

uint64_t fat_time_to_unix(uint16_t date, uint16_t time)
{
	uint32_t y = 1980 + (date >> 9), m = (date >> 5) & 0xF, d = date & 0x1F;
	uint32_t hh = time >> 11, mm = (time >> 5) & 0x3F, ss = (time & 0x1F) * 2;

	if (date == 0)
		return 0;
	/* Out-of-range fields come from other systems' bugs; clamp rather than fail a stat. */
	if (m < 1)
		m = 1;
	if (m > 12)
		m = 12;
	if (d < 1)
		d = 1;
	if (hh > 23)
		hh = 23;
	if (mm > 59)
		mm = 59;
	if (ss > 59)
		ss = 59;
	return days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}
