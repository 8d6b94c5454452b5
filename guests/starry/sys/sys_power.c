/* reboot(2): restart or power off the VM through PSCI, as Linux's reboot does for root. */
#include "syscalls.h"
#include "../proc/task.h"

#define LINUX_REBOOT_MAGIC1 0xfee1deadU
#define LINUX_REBOOT_MAGIC2 672274793U
#define LINUX_REBOOT_MAGIC2A 85072278U
#define LINUX_REBOOT_MAGIC2B 369367448U
#define LINUX_REBOOT_MAGIC2C 537993216U
#define LINUX_REBOOT_CMD_RESTART 0x01234567U
#define LINUX_REBOOT_CMD_HALT 0xcdef0123U
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcU
#define LINUX_REBOOT_CMD_CAD_ON 0x89abcdefU
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000U

/* Like Linux, the kernel does not sync here: callers (busybox's reboot, init systems) sync
 * first, and what they did not write back is lost, as after a reset. */
SYSCALL(reboot)
{
	uint32_t magic2 = (uint32_t)a->arg[1];

	if ((uint32_t)a->arg[0] != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch ((uint32_t)a->arg[2]) {
	case LINUX_REBOOT_CMD_RESTART:
		kprintf(KTAG ": pid %d (%s): reboot: restarting the system\n", current->pid,
			current->comm);
		psci_system_reset();
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		kprintf(KTAG ": pid %d (%s): reboot: powering off\n", current->pid, current->comm);
		psci_system_off();
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0; /* there is no Ctrl-Alt-Del to route */
	default:
		return -EINVAL;
	}
}
