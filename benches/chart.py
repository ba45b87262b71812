#!/usr/bin/env python3
"""Draws the demo's CSV output as a bar chart: encode and decode GB/s of the default entry
points (best backend) for every corpus, one panel per size, with the tutorial loop and
copy_from_slice as reference marks.

    cargo run --release --example demo -- --csv > target/demo.csv
    python3 benches/chart.py target/demo.csv -o performance.png [--title TEXT]

Needs matplotlib.
"""

import argparse
import csv
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def number(s: str) -> float:
    return float(s) if s else math.nan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("-o", "--out", required=True, help="the PNG to write")
    parser.add_argument("--title", default="runlen: default entry points, GB/s of raw bytes")
    args = parser.parse_args()

    with open(args.csv, newline="") as f:
        rows = list(csv.DictReader(f))
    sizes = list(dict.fromkeys(r["size"] for r in rows))
    corpora = list(dict.fromkeys(r["corpus"] for r in rows))
    cell = {(r["corpus"], r["size"], r["operation"]): r for r in rows}

    fig, axes = plt.subplots(len(sizes), 1, figsize=(12, 3.6 * len(sizes)), squeeze=False)
    width = 0.38
    for ax, size in zip(axes[:, 0], sizes):
        xs = range(len(corpora))
        default = [cell.get((c, size, "default")) for c in corpora]
        enc = [number(d["encode_gbps"]) if d else math.nan for d in default]
        dec = [number(d["decode_gbps"]) if d else math.nan for d in default]
        ax.bar([x - width / 2 for x in xs], enc, width, label="encode")
        ax.bar([x + width / 2 for x in xs], dec, width, label="decode")
        for key, marker, label in (("tutorial", "_", "tutorial loop"), ("copy", "x", "copy_from_slice")):
            ys = [number(cell[(c, size, key)]["encode_gbps"]) if (c, size, key) in cell else math.nan
                  for c in corpora]
            ax.scatter(list(xs), ys, marker=marker, color="black", s=60, zorder=3, label=label)
        backend = next((d["backend"] for d in default if d), "?")
        ax.set_title(f"{size} ({backend})", fontsize=10)
        ax.set_ylabel("GB/s")
        ax.set_xticks(list(xs))
        ax.set_xticklabels(corpora, rotation=30, ha="right", fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    axes[0, 0].legend(fontsize=8, ncol=4)
    fig.suptitle(args.title)
    fig.tight_layout()
    fig.savefig(args.out, dpi=90)
    print(f"chart.py: wrote {args.out}")


if __name__ == "__main__":
    main()
