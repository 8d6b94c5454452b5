MODULES += signal
MODULE_SRCS_signal := modcache/modules/signal/sig_module.c modcache/modules/signal/sig_table.c modcache/modules/signal/sig_task.c modcache/modules/signal/sig_action.c modcache/modules/signal/sig_generate.c modcache/modules/signal/sig_queue.c modcache/modules/signal/sig_deliver.c modcache/modules/signal/sig_default.c
