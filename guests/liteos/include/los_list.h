/* LiteOS intrusive doubly linked list (LOS_DL_LIST): ready queues, wait lists, timer lists. */
#ifndef _LOS_LIST_H
#define _LOS_LIST_H

#include "los_typedef.h"

typedef struct LOS_DL_LIST {
	struct LOS_DL_LIST *pstPrev;
	struct LOS_DL_LIST *pstNext;
} LOS_DL_LIST;

static inline VOID LOS_ListInit(LOS_DL_LIST *list)
{
	list->pstNext = list;
	list->pstPrev = list;
}

/* Inserts node right after list (at the head when list is the head). */
static inline VOID LOS_ListAdd(LOS_DL_LIST *list, LOS_DL_LIST *node)
{
	node->pstNext = list->pstNext;
	node->pstPrev = list;
	list->pstNext->pstPrev = node;
	list->pstNext = node;
}

static inline VOID LOS_ListTailInsert(LOS_DL_LIST *list, LOS_DL_LIST *node)
{
	LOS_ListAdd(list->pstPrev, node);
}

static inline VOID LOS_ListHeadInsert(LOS_DL_LIST *list, LOS_DL_LIST *node)
{
	LOS_ListAdd(list, node);
}

static inline VOID LOS_ListDelete(LOS_DL_LIST *node)
{
	node->pstNext->pstPrev = node->pstPrev;
	node->pstPrev->pstNext = node->pstNext;
	node->pstNext = NULL;
	node->pstPrev = NULL;
}

/* Unlinks node and leaves it pointing at itself, so that LOS_ListEmpty(node) is true after. */
static inline VOID LOS_ListDelInit(LOS_DL_LIST *node)
{
	node->pstNext->pstPrev = node->pstPrev;
	node->pstPrev->pstNext = node->pstNext;
	LOS_ListInit(node);
}

static inline BOOL LOS_ListEmpty(const LOS_DL_LIST *list)
{
	return list->pstNext == list;
}

#define LOS_OFF_SET_OF(type, member) ((UINTPTR) & ((type *)0)->member)
#define LOS_DL_LIST_ENTRY(item, type, member)                                                      \
	((type *)(VOID *)((CHAR *)(item)-LOS_OFF_SET_OF(type, member)))
#define LOS_DL_LIST_FIRST(object) ((object)->pstNext)
#define LOS_DL_LIST_LAST(object) ((object)->pstPrev)
/* Defines and initialises an empty list head. */
#define LOS_DL_LIST_HEAD(list) LOS_DL_LIST list = {&(list), &(list)}
#define OFFSET_OF_FIELD(type, field) LOS_OFF_SET_OF(type, field)
#define LOS_DL_LIST_FOR_EACH(item, list)                                                           \
	for ((item) = (list)->pstNext; (item) != (list); (item) = (item)->pstNext)
/* Walks the nodes themselves; item may be deleted from the list during the walk. */
#define LOS_DL_LIST_FOR_EACH_SAFE(item, next, list)                                                \
	for ((item) = (list)->pstNext, (next) = (item)->pstNext; (item) != (list);                 \
	     (item) = (next), (next) = (item)->pstNext)
#define LOS_DL_LIST_FOR_EACH_ENTRY(item, list, type, member)                                       \
	for ((item) = LOS_DL_LIST_ENTRY((list)->pstNext, type, member); &(item)->member != (list); \
	     (item) = LOS_DL_LIST_ENTRY((item)->member.pstNext, type, member))
#define LOS_DL_LIST_FOR_EACH_ENTRY_SAFE(item, next, list, type, member)                            \
	for ((item) = LOS_DL_LIST_ENTRY((list)->pstNext, type, member),                            \
	    (next) = LOS_DL_LIST_ENTRY((item)->member.pstNext, type, member);                      \
	     &(item)->member != (list);                                                            \
	     (item) = (next), (next) = LOS_DL_LIST_ENTRY((item)->member.pstNext, type, member))

#endif /* _LOS_LIST_H */
