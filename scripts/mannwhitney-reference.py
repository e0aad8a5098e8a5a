#!/usr/bin/env python3
"""Reference p-values for lib/stats/mann-whitney.ts, computed once and stored with how they were made.

    python3 scripts/mannwhitney-reference.py   # writes lib/stats/fixtures/mannwhitney-scipy.json

Needs numpy, scipy and mpmath (Debian: apt-get install -y python3-scipy python3-mpmath). The output has no
timestamp and every case uses a fixed seed, so running it again with the same versions gives the same file
byte for byte; a diff after an upgrade shows what the new scipy computes differently.

Three sections:

* ``cases``: pairs of binned samples (bucket index -> count; every value in a bucket is tied). Each pair is
  expanded to its raw samples (the bucket index repeated count times, as float64: scipy casts ranks to the
  input dtype, so integer input would truncate midranks) and run through
  ``scipy.stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True)`` for each alternative. This is
  the reference the TypeScript test checks against.
* ``largeCases``: counts up to 1e9 per bucket, too many to expand. Their p-values follow scipy's own
  asymptotic formula (scipy/stats/_mannwhitneyu.py, ``_get_mwu_z``) evaluated on the bins with exact
  Python integers, then ``scipy.special.ndtr(-z)`` as scipy does. The same binned computation is asserted
  below to agree with ``mannwhitneyu`` on every expanded case, so it is scipy's method, not a second one.
* ``normalSf``: the upper normal tail at chosen z, from ``scipy.special.ndtr(-z)`` (what mannwhitneyu calls)
  and from mpmath at 40 significant digits (an independent, arbitrary-precision value).
"""

import argparse
import json
import math
import platform
import sys
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import scipy
from scipy import special, stats

OUT = Path(__file__).resolve().parent.parent / "lib" / "stats" / "fixtures" / "mannwhitney-scipy.json"
ALTERNATIVES = ("two-sided", "greater", "less")

# Preflight's latency bucket layout (lib/history/histogram.ts), so some cases look like real probe histograms.
LN_MIN_MS = -4.605170185988091
LN_GAMMA = 0.009950330853168092
MAX_INDEX = 2000


def preflight_bins(latencies_ms):
    idx = np.where(
        latencies_ms <= 0.01,
        0,
        np.minimum(MAX_INDEX, 1 + np.floor((np.log(latencies_ms) - LN_MIN_MS) / LN_GAMMA + 1e-9)),
    ).astype(np.int64)
    return to_bins(idx)


def to_bins(values):
    keys, counts = np.unique(np.asarray(values, dtype=np.int64), return_counts=True)
    return {"idx": [int(k) for k in keys], "counts": [int(c) for c in counts]}


def expand(bins):
    return np.repeat(np.asarray(bins["idx"], dtype=np.float64), np.asarray(bins["counts"], dtype=np.int64))


def binned_asymptotic(x, y):
    """scipy's asymptotic MWU on bins, with exact integers up to the square root and the normal tail."""
    cx = dict(zip(x["idx"], x["counts"]))
    cy = dict(zip(y["idx"], y["counts"]))
    n1, n2 = sum(cx.values()), sum(cy.values())
    n = n1 + n2
    below_y = 0
    twice_u1 = 0
    tie_term = 0
    for k in sorted(set(cx) | set(cy)):
        a, b = cx.get(k, 0), cy.get(k, 0)
        twice_u1 += a * (2 * below_y + b)
        t = a + b
        tie_term += t**3 - t
        below_y += b
    u1 = Fraction(twice_u1, 2)
    u2 = n1 * n2 - u1
    variance = Fraction(n1 * n2, 12) * ((n + 1) - Fraction(tie_term, n * (n - 1)))
    s = math.sqrt(variance)
    out = {"twiceU1": str(twice_u1)}
    for alternative in ALTERNATIVES:
        u, factor = {"greater": (u1, 1), "less": (u2, 1), "two-sided": (max(u1, u2), 2)}[alternative]
        numerator = u - Fraction(n1 * n2, 2) - Fraction(1, 2)
        z = float(numerator) / s if s > 0 else (-math.inf if numerator < 0 else math.inf)
        out[alternative] = min(1.0, factor * float(special.ndtr(-z)))
    return out


def scipy_case(name, why, x, y):
    xs, ys = expand(x), expand(y)
    result = {"name": name, "why": why, "x": x, "y": y, "n1": int(xs.size), "n2": int(ys.size)}
    pvalues = {}
    for alternative in ALTERNATIVES:
        r = stats.mannwhitneyu(xs, ys, alternative=alternative, method="asymptotic", use_continuity=True)
        result["u1"] = float(r.statistic)  # U of x; the same for every alternative
        pvalues[alternative] = float(r.pvalue)
    result["pValue"] = pvalues
    # The binned formula used for largeCases must reproduce scipy on every case it can expand.
    check = binned_asymptotic(x, y)
    assert Fraction(int(check["twiceU1"]), 2) == Fraction(result["u1"]), (name, check, result["u1"])
    for alternative in ALTERNATIVES:
        a, b = check[alternative], pvalues[alternative]
        assert a == b or abs(a - b) <= 1e-12 * max(abs(b), 1e-300), (name, alternative, a, b)
    return result


def main():
    cases = []
    add = lambda *args: cases.append(scipy_case(*args))  # noqa: E731

    g = np.random.default_rng(20260401)
    base = preflight_bins(g.lognormal(np.log(40), 0.5, 500))
    add("identical", "the same histogram on both sides: U = n1 n2 / 2, p near 1", base, base)

    g = np.random.default_rng(1)
    add(
        "same distribution",
        "two draws of one log-normal (40 ms, sigma 0.5) in Preflight buckets",
        preflight_bins(g.lognormal(np.log(40), 0.5, 2000)),
        preflight_bins(g.lognormal(np.log(40), 0.5, 3000)),
    )

    g = np.random.default_rng(2)
    add(
        "slightly slower",
        "median 42 ms against 40 ms, n = 1000 each: a borderline p",
        preflight_bins(g.lognormal(np.log(42), 0.5, 1000)),
        preflight_bins(g.lognormal(np.log(40), 0.5, 1000)),
    )

    g = np.random.default_rng(3)
    add(
        "much slower",
        "median 52 ms against 40 ms, n = 5000 each: p far below any alpha",
        preflight_bins(g.lognormal(np.log(52), 0.5, 5000)),
        preflight_bins(g.lognormal(np.log(40), 0.5, 5000)),
    )

    g = np.random.default_rng(4)
    add(
        "faster",
        "median 30 ms against 40 ms: 'greater' near 1, 'less' tiny",
        preflight_bins(g.lognormal(np.log(30), 0.5, 800)),
        preflight_bins(g.lognormal(np.log(40), 0.5, 1200)),
    )

    g = np.random.default_rng(5)
    add(
        "heavy ties",
        "five buckets, 10 000 samples a side: the tie correction dominates the variance",
        to_bins(g.choice(5, 10_000, p=[0.1, 0.3, 0.3, 0.2, 0.1])),
        to_bins(g.choice(5, 10_000, p=[0.12, 0.31, 0.3, 0.18, 0.09])),
    )

    g = np.random.default_rng(6)
    add(
        "two buckets",
        "cache hit or miss: 70 % against 75 % fast",
        to_bins(g.choice([3, 9], 400, p=[0.7, 0.3])),
        to_bins(g.choice([3, 9], 600, p=[0.75, 0.25])),
    )

    add("small n", "three against four samples, one tie", to_bins([5, 7, 9]), to_bins([4, 5, 6, 8]))
    add("smallest n", "one sample a side", to_bins([2]), to_bins([1]))

    g = np.random.default_rng(7)
    add(
        "small n with ties",
        "eight against five samples over four buckets",
        to_bins(g.integers(0, 4, 8)),
        to_bins(g.integers(0, 4, 5)),
    )

    add(
        "one bucket",
        "every sample in one bucket: zero variance, scipy gives z = -inf and p = 1",
        to_bins([12] * 300),
        to_bins([12] * 200),
    )
    add(
        "one side in one bucket",
        "x all tied inside y's range",
        to_bins([20] * 100),
        to_bins(list(range(10, 31)) * 5),
    )
    add(
        "disjoint",
        "every x above every y: U = n1 n2",
        to_bins(list(range(50, 60)) * 6),
        to_bins(list(range(30, 40)) * 6),
    )

    g = np.random.default_rng(8)
    add(
        "deep tail",
        "a strong shift with n = 3000 a side: p around 1e-200 tests the normal tail",
        preflight_bins(g.lognormal(np.log(60), 0.4, 3000)),
        preflight_bins(g.lognormal(np.log(40), 0.4, 3000)),
    )

    g = np.random.default_rng(9)
    add(
        "large n",
        "500 000 a side, medians 40.2 ms against 40 ms: a 0.5 % shift, about half a bucket",
        preflight_bins(g.lognormal(np.log(40.2), 0.5, 500_000)),
        preflight_bins(g.lognormal(np.log(40), 0.5, 500_000)),
    )

    g = np.random.default_rng(10)
    add(
        "large n, same distribution",
        "300 000 against 700 000 from one distribution",
        preflight_bins(g.lognormal(np.log(120), 0.8, 300_000)),
        preflight_bins(g.lognormal(np.log(120), 0.8, 700_000)),
    )

    # Counts too large to expand: a day to a month of busy probes, with counts near 1e9 per bucket.
    large = []
    g = np.random.default_rng(11)
    for name, why, x, y in [
        (
            "1e9 per bucket, shifted",
            "three buckets of ~1e9 each: U near 1e19, past 2^53",
            {"idx": [100, 101, 102], "counts": [900_000_000, 1_000_000_000, 1_100_000_000]},
            {"idx": [100, 101, 102], "counts": [1_000_000_000, 1_000_000_000, 1_000_000_000]},
        ),
        (
            "1e9 per bucket, identical",
            "identical large histograms: p near 1",
            {"idx": [7, 8, 9, 10], "counts": [999_999_937, 1_000_000_007, 123_456_789, 987_654_321]},
            {"idx": [7, 8, 9, 10], "counts": [999_999_937, 1_000_000_007, 123_456_789, 987_654_321]},
        ),
        (
            "1e9 per bucket, tiny shift",
            "one count in 1e9 moved up a bucket",
            {"idx": [40, 41], "counts": [999_999_999, 1_000_000_001]},
            {"idx": [40, 41], "counts": [1_000_000_000, 1_000_000_000]},
        ),
        (
            "month of probes",
            "2.6 M samples a side over Preflight buckets (1 s probes for 30 days), a 1 % shift",
            preflight_bins(g.lognormal(np.log(40.4), 0.5, 2_592_000)),
            preflight_bins(g.lognormal(np.log(40), 0.5, 2_592_000)),
        ),
    ]:
        r = binned_asymptotic(x, y)
        large.append(
            {
                "name": name,
                "why": why,
                "x": x,
                "y": y,
                "n1": sum(x["counts"]),
                "n2": sum(y["counts"]),
                "twiceU1": r["twiceU1"],
                "pValue": {a: r[a] for a in ALTERNATIVES},
            }
        )

    mpmath.mp.dps = 40
    grid = [-40, -8.5, -3, -1.5, -0.5, -1e-3, 0, 1e-8, 0.25, 0.7, 1, 1.49, 1.5, 1.51, 2, 2.5, 3, 4.2, 5, 6.5]
    grid += [8, 10, 13.37, 17, 20, 25, 30, 35, 37.5, 38.4, 40]
    normal = [
        {"z": z, "scipy": float(special.ndtr(-z)), "mpmath": float(mpmath.ncdf(-mpmath.mpf(z)))} for z in grid
    ]

    fixture = {
        "about": "Reference p-values for lib/stats/mann-whitney.ts; see scripts/mannwhitney-reference.py.",
        "command": "python3 scripts/mannwhitney-reference.py",
        "method": "scipy.stats.mannwhitneyu(x, y, alternative=a, method='asymptotic', use_continuity=True) "
        "on the expanded samples (float64, one value per bucket index)",
        "largeMethod": "scipy's _get_mwu_z formula on the bins with exact integers, then scipy.special.ndtr(-z); "
        "asserted equal (1e-12) to mannwhitneyu on every expanded case",
        "versions": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "mpmath": mpmath.__version__,
            "platform": f"{platform.system()} {platform.machine()}",
        },
        "cases": cases,
        "largeCases": large,
        "normalSf": normal,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases, {len(large)} large, {len(normal)} normal tail points)", file=sys.stderr)


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    main()
