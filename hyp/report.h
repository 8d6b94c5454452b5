/* Memory reports on the hypervisor console. */
#ifndef HYP_REPORT_H
#define HYP_REPORT_H

/* Frames per owner and the accounting consistency check, printed when all VMs are down. */
void report_final(void);

#endif /* HYP_REPORT_H */
