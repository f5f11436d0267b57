// Each test starts a control plane, a node and backends; on 2 cores they run one at a time so that health-check
// and sync timings are not distorted by other tests.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
