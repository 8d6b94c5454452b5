/* Prints what the frame pool holds, per owner, and checks the accounting adds up. */
#include "report.h"
#include "console.h"
#include "account.h"
#include "mm.h"
#include "vmmod.h"

static void print_pool(struct frame_pool *pool, void *arg)
{
	(void)arg;
	hyp_printf("hyp: frames: %lu total", (unsigned long)pool->nframes);
	for (unsigned o = 0; o < FRAME_OWNER_COUNT; o++)
		hyp_printf(", %s %lu", frame_owner_name(o),
			   (unsigned long)frame_count_kind(pool, o));
	hyp_printf("\nhyp: frame accounting %s\n",
		   frame_check(pool) ? "consistent" : "INCONSISTENT");
}

void report_final(void)
{
	vmmod_print_cache();
	account_print_final();
	mm_with_pool(print_pool, NULL);
}
