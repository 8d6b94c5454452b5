/* Example: an intrusive list of structures: insert, walk, delete while walking. */
#include "apps.h"
#include "los_list.h"
#include <stdio.h>

typedef struct {
	UINT32 value;
	LOS_DL_LIST node;
} Item;

UINT32 Example_List(VOID)
{
	LOS_DL_LIST_HEAD(head);
	Item items[5];
	Item *item = NULL;
	Item *next = NULL;
	LOS_DL_LIST *pos = NULL;
	LOS_DL_LIST *tmp = NULL;
	UINT32 count = 0;

	for (UINT32 i = 0; i < 5; i++) {
		items[i].value = i * 10;
		LOS_ListTailInsert(&head, &items[i].node);
	}
	printf("list:");
	LOS_DL_LIST_FOR_EACH_ENTRY(item, &head, Item, node)
	{
		printf(" %u", item->value);
	}
	printf("\n");
	printf("list: last is %u\n", LOS_DL_LIST_ENTRY(LOS_DL_LIST_LAST(&head), Item, node)->value);
	LOS_DL_LIST_FOR_EACH_ENTRY_SAFE(item, next, &head, Item, node)
	{
		if (item->value % 20 == 0)
			LOS_ListDelete(&item->node);
	}
	LOS_DL_LIST_FOR_EACH_SAFE(pos, tmp, &head)
	{
		count++;
	}
	printf("list: %u left after removing multiples of 20, empty: %s\n", count,
	       LOS_ListEmpty(&head) ? "yes" : "no");
	return LOS_OK;
}
