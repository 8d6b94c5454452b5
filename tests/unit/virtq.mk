# Host unit tests for the virtio queue and virtio-blk request checks (hyp/virtio/virtq.c, vblk_req.c).
UNIT_TESTS += virtq
UNIT_SRCS_virtq := tests/unit/test_virtq.c hyp/virtio/virtq.c hyp/virtio/vblk_req.c lib/fmt.c
