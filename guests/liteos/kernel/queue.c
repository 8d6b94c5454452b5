/* LiteOS message queues: a ring of fixed-size nodes; readers and writers hand slots over. */
#include "los_ipc_pri.h"
#include <mv_compiler.h>
#include "los_memory.h"
#include "los_queue.h"
#include "los_sched_pri.h"
#include "los_sys.h"
#include <string.h>

#define OS_QUEUE_READ 0U
#define OS_QUEUE_WRITE 1U
#define OS_QUEUE_MSG_SIZE_MAX (0xFFFFU - sizeof(UINT32))

typedef struct {
	UINT8 *queueHandle; /* queueLen nodes of queueSize bytes: the message, then its length */
	UINT16 queueState;
	BOOL staticMem; /* queueHandle is the application's (LOS_QueueCreateStatic) */
	UINT16 queueLen;
	UINT16 queueSize;
	UINT32 queueID;
	UINT16 queueHead;
	UINT16 queueTail;
	UINT16 readWriteableCnt[2];   /* messages to read, free nodes to write */
	LOS_DL_LIST readWriteList[2]; /* tasks waiting to read / to write */
	LOS_DL_LIST freeNode;	      /* in the unused list while unused */
} LosQueueCB;

/* How a read or a write moves the data. */
typedef struct {
	UINT32 rw;    /* OS_QUEUE_READ or OS_QUEUE_WRITE */
	BOOL head;    /* write at the head (read always takes the head) */
	BOOL pointer; /* the message is the pointer value bufferAddr, not bytes it points to */
} QueueOp;

static LosQueueCB *g_allQueue;
static LOS_DL_LIST g_freeQueueList;

UINT32 OsQueueInit(VOID)
{
	UINT32 size = LOSCFG_BASE_IPC_QUEUE_LIMIT * (UINT32)sizeof(LosQueueCB);

	g_allQueue = LOS_MemAlloc(m_aucSysMem0, size);
	if (g_allQueue == NULL)
		return LOS_ERRNO_QUEUE_NO_MEMORY;
	memset(g_allQueue, 0, size);
	LOS_ListInit(&g_freeQueueList);
	for (UINT32 i = 0; i < LOSCFG_BASE_IPC_QUEUE_LIMIT; i++) {
		g_allQueue[i].queueID = OS_IPC_HANDLE(0, i);
		LOS_ListTailInsert(&g_freeQueueList, &g_allQueue[i].freeNode);
	}
	return LOS_OK;
}

static UINT32 OsQueueParamCheck(UINT16 len, const UINT32 *queueID, UINT16 maxMsgSize)
{
	if (queueID == NULL)
		return LOS_ERRNO_QUEUE_CREAT_PTR_NULL;
	if (maxMsgSize > OS_QUEUE_MSG_SIZE_MAX)
		return LOS_ERRNO_QUEUE_SIZE_TOO_BIG;
	if (len == 0 || maxMsgSize == 0)
		return LOS_ERRNO_QUEUE_PARA_ISZERO;
	return LOS_OK;
}

/* Takes a free control block for len nodes of nodeSize bytes in buffer. */
static UINT32 OsQueueSetUp(UINT8 *buffer, BOOL staticMem, UINT16 len, UINT32 nodeSize,
			   UINT32 *queueID)
{
	UINT32 intSave = LOS_IntLock();
	LosQueueCB *queue;

	if (LOS_ListEmpty(&g_freeQueueList)) {
		LOS_IntRestore(intSave);
		return LOS_ERRNO_QUEUE_CB_UNAVAILABLE;
	}
	queue = LOS_DL_LIST_ENTRY(g_freeQueueList.pstNext, LosQueueCB, freeNode);
	LOS_ListDelete(&queue->freeNode);
	queue->queueHandle = buffer;
	queue->staticMem = staticMem;
	queue->queueState = OS_IPC_USED;
	queue->queueLen = len;
	queue->queueSize = (UINT16)nodeSize;
	queue->queueHead = 0;
	queue->queueTail = 0;
	queue->readWriteableCnt[OS_QUEUE_READ] = 0;
	queue->readWriteableCnt[OS_QUEUE_WRITE] = len;
	LOS_ListInit(&queue->readWriteList[OS_QUEUE_READ]);
	LOS_ListInit(&queue->readWriteList[OS_QUEUE_WRITE]);
	*queueID = queue->queueID;
	LOS_IntRestore(intSave);
	return LOS_OK;
}

UINT32 LOS_QueueCreate(CHAR *queueName, UINT16 len, UINT32 *queueID, UINT32 flags,
		       UINT16 maxMsgSize)
{
	UINT32 nodeSize = (UINT32)maxMsgSize + sizeof(UINT32);
	UINT32 ret = OsQueueParamCheck(len, queueID, maxMsgSize);
	UINT8 *buffer;

	(void)queueName;
	(void)flags;
	if (ret != LOS_OK)
		return ret;
	buffer = LOS_MemAlloc(m_aucSysMem0, (UINT32)len * nodeSize);
	if (buffer == NULL)
		return LOS_ERRNO_QUEUE_CREATE_NO_MEMORY;
	ret = OsQueueSetUp(buffer, FALSE, len, nodeSize, queueID);
	if (ret != LOS_OK)
		(void)LOS_MemFree(m_aucSysMem0, buffer);
	return ret;
}

UINT32 LOS_QueueCreateStatic(CHAR *queueName, UINT16 len, UINT32 *queueID, UINT32 flags,
			     UINT16 maxMsgSize, VOID *queueMem, UINT16 memSize)
{
	UINT32 nodeSize = (UINT32)maxMsgSize + sizeof(UINT32);
	UINT32 ret = OsQueueParamCheck(len, queueID, maxMsgSize);

	(void)queueName;
	(void)flags;
	if (ret != LOS_OK)
		return ret;
	if (queueMem == NULL)
		return LOS_ERRNO_QUEUE_CREAT_PTR_NULL;
	if (memSize < (UINT32)len * nodeSize)
		return LOS_ERRNO_QUEUE_CREATE_NO_MEMORY;
	return OsQueueSetUp(queueMem, TRUE, len, nodeSize, queueID);
}

/* Call with IRQs masked. *ret says why NULL came back. */
static LosQueueCB *OsQueueGet(UINT32 queueID, UINT32 *ret)
{
	LosQueueCB *queue;

	if (OS_IPC_INDEX(queueID) >= LOSCFG_BASE_IPC_QUEUE_LIMIT) {
		*ret = LOS_ERRNO_QUEUE_INVALID;
		return NULL;
	}
	queue = &g_allQueue[OS_IPC_INDEX(queueID)];
	if (queue->queueID != queueID || queue->queueState != OS_IPC_USED) {
		*ret = LOS_ERRNO_QUEUE_NOT_CREATE;
		return NULL;
	}
	return queue;
}

UINT32 LOS_QueueDelete(UINT32 queueID)
{
	UINT32 ret = LOS_OK;
	UINT32 intSave = LOS_IntLock();
	LosQueueCB *queue = OsQueueGet(queueID, &ret);
	UINT8 *buffer;

	if (queue == NULL) {
		LOS_IntRestore(intSave);
		return ret;
	}
	if (!LOS_ListEmpty(&queue->readWriteList[OS_QUEUE_READ]) ||
	    !LOS_ListEmpty(&queue->readWriteList[OS_QUEUE_WRITE])) {
		LOS_IntRestore(intSave);
		return LOS_ERRNO_QUEUE_IN_TSKUSE;
	}
	buffer = queue->staticMem ? NULL : queue->queueHandle;
	queue->queueHandle = NULL;
	queue->queueState = OS_IPC_UNUSED;
	queue->queueID = OS_IPC_HANDLE(OS_IPC_COUNT(queueID) + 1, OS_IPC_INDEX(queueID));
	LOS_ListTailInsert(&g_freeQueueList, &queue->freeNode);
	LOS_IntRestore(intSave);
	if (buffer != NULL)
		(void)LOS_MemFree(m_aucSysMem0, buffer);
	return LOS_OK;
}

static VOID OsQueueMove(LosQueueCB *queue, const QueueOp *op, VOID *buffer, UINT32 *size)
{
	UINT32 msgMax = queue->queueSize - sizeof(UINT32);
	UINT16 index;
	UINT8 *node;
	UINT32 msgLen;

	if (op->rw == OS_QUEUE_READ) {
		index = queue->queueHead;
		queue->queueHead = (UINT16)((queue->queueHead + 1) % queue->queueLen);
	} else if (op->head) {
		queue->queueHead =
		    (UINT16)((queue->queueHead + queue->queueLen - 1) % queue->queueLen);
		index = queue->queueHead;
	} else {
		index = queue->queueTail;
		queue->queueTail = (UINT16)((queue->queueTail + 1) % queue->queueLen);
	}
	node = queue->queueHandle + (UINT32)index * queue->queueSize;
	if (op->rw == OS_QUEUE_WRITE) {
		UINTPTR value = (UINTPTR)buffer;

		msgLen = op->pointer ? (UINT32)sizeof(UINTPTR) : *size;
		memcpy(node, op->pointer ? (const VOID *)&value : buffer, msgLen);
		memcpy(node + msgMax, &msgLen, sizeof(msgLen));
		return;
	}
	memcpy(&msgLen, node + msgMax, sizeof(msgLen));
	memcpy(buffer, node, op->pointer ? MIN(msgLen, (UINT32)sizeof(UINTPTR)) : msgLen);
	*size = msgLen;
}

static UINT32 OsQueueCheck(const LosQueueCB *queue, const QueueOp *op, const VOID *buffer,
			   UINT32 size, UINT32 timeout)
{
	UINT32 msgMax = queue->queueSize - sizeof(UINT32);

	if (op->rw == OS_QUEUE_READ) {
		if (buffer == NULL)
			return LOS_ERRNO_QUEUE_READ_PTR_NULL;
		if (size == 0)
			return LOS_ERRNO_QUEUE_READSIZE_IS_INVALID;
		if (OS_INT_ACTIVE && timeout != LOS_NO_WAIT)
			return LOS_ERRNO_QUEUE_READ_IN_INTERRUPT;
		/* Any message must fit: the check happens before one is taken, never after. */
		if (size < (op->pointer ? MIN(msgMax, (UINT32)sizeof(UINTPTR)) : msgMax))
			return LOS_ERRNO_QUEUE_READ_SIZE_TOO_SMALL;
		return LOS_OK;
	}
	if (!op->pointer && buffer == NULL)
		return LOS_ERRNO_QUEUE_WRITE_PTR_NULL;
	if (size == 0)
		return LOS_ERRNO_QUEUE_WRITESIZE_ISZERO;
	if (OS_INT_ACTIVE && timeout != LOS_NO_WAIT)
		return LOS_ERRNO_QUEUE_WRITE_IN_INTERRUPT;
	/* A pointer message still needs a node that can hold a pointer. */
	if (size > msgMax || (op->pointer && sizeof(UINTPTR) > msgMax))
		return LOS_ERRNO_QUEUE_WRITE_SIZE_TOO_BIG;
	return LOS_OK;
}

static UINT32 OsQueueOperate(UINT32 queueID, const QueueOp *op, VOID *buffer, UINT32 *size,
			     UINT32 timeout)
{
	UINT32 ret = LOS_OK;
	UINT32 intSave = LOS_IntLock();
	LosQueueCB *queue = OsQueueGet(queueID, &ret);
	UINT32 rw = op->rw;
	LosTaskCB *waiter;

	if (queue == NULL)
		goto out;
	ret = OsQueueCheck(queue, op, buffer, *size, timeout);
	if (ret != LOS_OK)
		goto out;
	if (queue->readWriteableCnt[rw] == 0) {
		if (timeout == LOS_NO_WAIT) {
			ret =
			    rw == OS_QUEUE_READ ? LOS_ERRNO_QUEUE_ISEMPTY : LOS_ERRNO_QUEUE_ISFULL;
			goto out;
		}
		if (!OsPreemptable()) {
			ret = LOS_ERRNO_QUEUE_PEND_IN_LOCK;
			goto out;
		}
		/* Woken by the other side, the node is reserved for us: no recount needed. */
		if (OsSchedPend(&queue->readWriteList[rw], timeout, FALSE)) {
			ret = LOS_ERRNO_QUEUE_TIMEOUT;
			goto out;
		}
	} else {
		queue->readWriteableCnt[rw]--;
	}
	OsQueueMove(queue, op, buffer, size);
	waiter = OsSchedFirstWaiter(&queue->readWriteList[!rw]);
	if (waiter) {
		OsSchedWake(waiter);
		OsSchedule();
	} else {
		queue->readWriteableCnt[!rw]++;
	}
out:
	LOS_IntRestore(intSave);
	OsSigCheck();
	return ret;
}

UINT32 LOS_QueueReadCopy(UINT32 queueID, VOID *bufferAddr, UINT32 *bufferSize, UINT32 timeout)
{
	const QueueOp op = {OS_QUEUE_READ, FALSE, FALSE};

	if (bufferSize == NULL)
		return LOS_ERRNO_QUEUE_READ_PTR_NULL;
	return OsQueueOperate(queueID, &op, bufferAddr, bufferSize, timeout);
}

UINT32 LOS_QueueWriteCopy(UINT32 queueID, VOID *bufferAddr, UINT32 bufferSize, UINT32 timeout)
{
	const QueueOp op = {OS_QUEUE_WRITE, FALSE, FALSE};

	return OsQueueOperate(queueID, &op, bufferAddr, &bufferSize, timeout);
}

UINT32 LOS_QueueWriteHeadCopy(UINT32 queueID, VOID *bufferAddr, UINT32 bufferSize, UINT32 timeout)
{
	const QueueOp op = {OS_QUEUE_WRITE, TRUE, FALSE};

	return OsQueueOperate(queueID, &op, bufferAddr, &bufferSize, timeout);
}

UINT32 LOS_QueueRead(UINT32 queueID, VOID *bufferAddr, UINT32 bufferSize, UINT32 timeout)
{
	const QueueOp op = {OS_QUEUE_READ, FALSE, TRUE};

	return OsQueueOperate(queueID, &op, bufferAddr, &bufferSize, timeout);
}

UINT32 LOS_QueueWrite(UINT32 queueID, VOID *bufferAddr, UINT32 bufferSize, UINT32 timeout)
{
	const QueueOp op = {OS_QUEUE_WRITE, FALSE, TRUE};

	return OsQueueOperate(queueID, &op, bufferAddr, &bufferSize, timeout);
}

UINT32 LOS_QueueWriteHead(UINT32 queueID, VOID *bufferAddr, UINT32 bufferSize, UINT32 timeout)
{
	const QueueOp op = {OS_QUEUE_WRITE, TRUE, TRUE};

	return OsQueueOperate(queueID, &op, bufferAddr, &bufferSize, timeout);
}

static UINT64 OsQueueWaiters(const LOS_DL_LIST *list)
{
	const LosTaskCB *task = NULL;
	UINT64 mask = 0;

	LOS_DL_LIST_FOR_EACH_ENTRY(task, list, LosTaskCB, pendList)
	{
		mask |= 1ULL << task->taskID;
	}
	return mask;
}

UINT32 LOS_QueueInfoGet(UINT32 queueID, QUEUE_INFO_S *queueInfo)
{
	UINT32 ret = LOS_OK;
	UINT32 intSave;
	const LosQueueCB *queue;

	if (queueInfo == NULL)
		return LOS_ERRNO_QUEUE_PTR_NULL;
	intSave = LOS_IntLock();
	queue = OsQueueGet(queueID, &ret);
	if (queue != NULL) {
		memset(queueInfo, 0, sizeof(*queueInfo));
		queueInfo->uwQueueID = queueID;
		queueInfo->usQueueLen = queue->queueLen;
		queueInfo->usQueueSize = queue->queueSize;
		queueInfo->usQueueHead = queue->queueHead;
		queueInfo->usQueueTail = queue->queueTail;
		queueInfo->usReadableCnt = queue->readWriteableCnt[OS_QUEUE_READ];
		queueInfo->usWritableCnt = queue->readWriteableCnt[OS_QUEUE_WRITE];
		queueInfo->uwWaitReadTask = OsQueueWaiters(&queue->readWriteList[OS_QUEUE_READ]);
		queueInfo->uwWaitWriteTask = OsQueueWaiters(&queue->readWriteList[OS_QUEUE_WRITE]);
	}
	LOS_IntRestore(intSave);
	return ret;
}
