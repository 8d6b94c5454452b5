/* The system memory pool: free RAM after the boot heap, with the memory module's hooks set. */
#include "guest.h"
#include "los_mem_pri.h"
#include "los_printf.h"
#include "los_sched_pri.h"
#include <modvisor/hypercall.h>

/* guests/lib/selftest.c gives its heap the 4 MiB from the first 2 MiB boundary after the
 * kernel; the boot checks (and the modules they load) keep using it, so the pool starts after. */
#define OS_BOOT_HEAP_SIZE (4UL << 20)
#define OS_SYS_MEM_MIN (1UL << 20)

UINT8 *m_aucSysMem0;
UINT8 *m_aucSysMem1;

/* Who an allocation is charged to when the caller says so (stacks, modules). */
static UINT32 g_memStatOverride = OS_INVALID;

static UINT32 OsMemStatTaskId(VOID)
{
	if (g_memStatOverride != OS_INVALID)
		return g_memStatOverride;
	if (!g_taskScheduled || OS_INT_ACTIVE)
		return OS_MEMSTAT_ID_KERNEL;
	return g_runTask->taskID;
}

VOID *OsMemAllocFor(UINT32 statId, UINT32 size, UINT32 align)
{
	UINT32 intSave = LOS_IntLock();
	VOID *ptr;

	g_memStatOverride = statId;
	if (align > OS_MEM_ALIGN_SIZE)
		ptr = LOS_MemAllocAlign(m_aucSysMem0, size, align);
	else
		ptr = LOS_MemAlloc(m_aucSysMem0, size);
	g_memStatOverride = OS_INVALID;
	LOS_IntRestore(intSave);
	return ptr;
}

static UINT32 OsSysMemLock(VOID)
{
	return LOS_IntLock();
}

static VOID OsSysMemUnlock(UINT32 state)
{
	LOS_IntRestore(state);
}

/* Free page reporting: whole free pages of the pool go back to the hypervisor (lazy RAM). */
static BOOL OsMemReleaseToHost(UINTPTR addr, UINT32 pages)
{
	struct smccc_res r = smccc_hvc(MV_HVC_MEM_RELEASE, addr, pages, 0, 0, 0, 0);

	return (INT64)r.a0 != MV_ERR_NOT_SUPPORTED;
}

UINT32 OsMemSystemInit(const struct boot_info *info)
{
	extern char __stack_top[];
	UINTPTR start = ALIGN_UP((UINTPTR)__stack_top, SZ_2M) + OS_BOOT_HEAP_SIZE;
	UINTPTR end = info->ram_base + info->ram_size;
	UINT32 size;

	if (end < start + OS_SYS_MEM_MIN)
		return LOS_NOK;
	/* Pool sizes are 32-bit in this API. */
	size = (UINT32)MIN(end - start, (UINTPTR)0xFFFFF000U);
	m_aucSysMem0 = (UINT8 *)start;
	m_aucSysMem1 = m_aucSysMem0;
	LOS_MemSetLockHooks(OsSysMemLock, OsSysMemUnlock);
	LOS_MemSetTaskIdHook(OsMemStatTaskId);
	LOS_MemSetPrintHook(dprintf);
	if (!bootarg_has(info, "no-page-reporting"))
		LOS_MemSetReleaseHook(OsMemReleaseToHost);
	return LOS_MemInit(m_aucSysMem0, size);
}
