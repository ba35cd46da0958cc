"""The original Go scavenger's published measurements (SPEC §1) and the experiment's shape."""
from dataclasses import dataclass

ITEMS = 130_000      # the original's table
SURVIVORS = 3_300    # items its rule keeps
SMALL_ITEMS = 20_000  # the latency profile's table where a full one would take too long


@dataclass(frozen=True)
class row:
    memory_mb: int
    readers: int     # the original's TotalSegments: segments, all scanned at once
    deleters: int    # the original's MaxDelRoutines
    billed_ms: int
    max_memory_mb: int
    cost_usd: float
    note: str = ""

    @property
    def key(self):
        return f"{self.memory_mb}/{self.readers}/{self.deleters}"


# SPEC §1, in its order. Its columns are (memory, deleters, readers); the rows name
# (memory, readers, deleters): the same rows.
ROWS = [
    row(128, 1, 1, 1_965_719, 71, 0.004128, "3 invocations; memory is their average"),
    row(512, 10, 10, 701_119, 95, 0.005819),
    row(1024, 10, 20, 366_121, 44, 0.006114),
    row(1024, 20, 50, 381_811, 88, 0.006376),
    row(1024, 100, 100, 412_897, 76, 0.006895),
    row(2048, 50, 100, 210_355, 86, 0.007005),
    row(2048, 100, 100, 189_998, 87, 0.006327),
]


def by_key(key):
    for candidate in ROWS:
        if candidate.key == key:
            return candidate
    raise KeyError(f"no row {key!r} in the original's table; rows: {', '.join(r.key for r in ROWS)}")


def survivors_for(items):
    """The original's proportion, 3,300 of 130,000."""
    return round(items * SURVIVORS / ITEMS)
