/* The one status enum: every hypercall and every internal call that can fail returns one of these.
 */
#ifndef MODVISOR_STATUS_H
#define MODVISOR_STATUS_H

/*
 * Values are negative so that a successful call can return 0 (or a positive
 * count) in the same register. -1 matches SMCCC NOT_SUPPORTED and PSCI's
 * NOT_SUPPORTED, -2 and -3 match PSCI's INVALID_PARAMETERS and DENIED, so a
 * guest can treat PSCI and modvisor calls alike.
 */
enum mv_status {
	MV_OK = 0,
	MV_ERR_NOT_SUPPORTED = -1, /* unknown function or feature */
	MV_ERR_INVALID = -2,	   /* bad argument: range, alignment, ID */
	MV_ERR_DENIED = -3,	   /* not allowed for this caller */
	MV_ERR_NO_MEMORY = -4,	   /* out of frames or slots */
	MV_ERR_NOT_FOUND = -5,	   /* no such object */
	MV_ERR_BUSY = -6,	   /* in use, already present or overlapping */
};

#endif /* MODVISOR_STATUS_H */
