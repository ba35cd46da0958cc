"""Rough durations, for the estimate printed at start and for choosing the latency profile's
table size. Calibrated on the 2-core machine the harness was written on, with DynamoDB Local
sharing the cores with the client (it spends about 2.5 ms of CPU per request, less per item
inside a batch)."""
from . import costs

SEED_ITEMS_PER_S = 6_000              # scavenger seed, 16 writers
CONDITIONAL_EMULATOR_ITEMS_PER_S = 900  # DeleteItem: the emulator's ceiling
CONDITIONAL_CALL_S = 0.0011           # one DeleteItem's round trip on loopback
BATCH_EMULATOR_ITEMS_PER_S = 4_000    # BatchWriteItem: the emulator's ceiling
BATCH_CALL_S = 0.002                  # one BatchWriteItem's round trip on loopback
BATCH_ITEMS_PER_CALL_SERIAL = 9       # one deleter sends part-filled batches
CLIENT_CPU_S_PER_ITEM = {"conditional": 92e-6, "batch": 10e-6}
FIXED_S = 5                           # process starts, DescribeTable, the verification scan


def run_s(mode, deleters, deletable, delay_ms=0.0, memory_mb=None):
    """One `scavenger run`: the emulator's ceiling, or the deleters' round trips, or (in a
    control group) the client's CPU share, whichever binds."""
    delay = delay_ms / 1000
    if mode == "conditional":
        calls, per_call, ceiling = deletable, CONDITIONAL_CALL_S, CONDITIONAL_EMULATOR_ITEMS_PER_S
    else:
        per_batch = 25 if deleters > 1 else BATCH_ITEMS_PER_CALL_SERIAL
        calls, per_call, ceiling = deletable / per_batch, BATCH_CALL_S, BATCH_EMULATOR_ITEMS_PER_S
    seconds = max(deletable / ceiling, calls * (per_call + delay) / deleters)
    if memory_mb:
        seconds = max(seconds, deletable * CLIENT_CPU_S_PER_ITEM[mode] / min(1.0, costs.cpu_share(memory_mb)))
    return seconds


def latency_run_s(mode, deleters, delay_ms, deletable):
    return run_s(mode, deleters, deletable, delay_ms)


def _one(mode, deleters, items, survivors, delay_ms=0.0, memory_mb=None):
    return items / SEED_ITEMS_PER_S + run_s(mode, deleters, items - survivors, delay_ms, memory_mb) + FIXED_S


def total_s(args, measured=lambda *config, **where: False):
    """The whole session's time; `measured(profile, readers, deleters, mode, memory_mb=, delay_ms=)`
    says which configurations already have a verified run (--append) and cost nothing."""
    items, survivors, total = args.items, args.survivors, 0.0
    if not args.no_warmup:
        total += _one("batch", 20, min(items, 20_000), 0)
    if not args.skip_table:
        total += sum(_one(m, r.deleters, items, survivors) for r in args.rows for m in args.modes
                     if not measured("table", r.readers, r.deleters, m, memory_mb=r.memory_mb))
    if not args.skip_lambda_size:
        total += sum(_one(m, r.deleters, items, survivors, memory_mb=r.memory_mb)
                     for r in args.rows for m in args.lambda_modes
                     if not measured("lambda", r.readers, r.deleters, m, memory_mb=r.memory_mb))
        total += sum(_one(m, 100, items, survivors, memory_mb=128) for m in args.lambda_modes)
    if not args.skip_latency:
        total += 2 * _one("batch", 20, items, survivors) + items / SEED_ITEMS_PER_S + 8
        for readers, deleters in args.latency_settings:
            for m in args.modes:
                if measured("latency", readers, deleters, m, delay_ms=args.delay_ms):
                    continue
                guess = latency_run_s(m, deleters, args.delay_ms, items - survivors)
                small = guess > args.latency_max_run_s
                n = min(args.small_items, items) if small else items
                total += _one(m, deleters, n, 0, args.delay_ms)
    return total
