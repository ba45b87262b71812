"""runlen against what a numpy/zarr user would pick instead, on the data runlen is for and
on the data it is not for.

    pip install ./python blosc2 zstandard lz4 imagecodecs scikit-image matplotlib
    python -P python/compare.py                       # the table (Markdown) on stdout
    python -P python/compare.py --chart compare.png   # and the chart
    python -P python/compare.py --rounds 3 --quick    # a quick look
    cargo run --release --example demo -- dump target/corpora
    python -P python/compare.py --packbits target/corpora   # PackBits: runlen vs imagecodecs

(-P keeps python/, which holds the package's sources without the built extension, off the
front of sys.path.)

Codecs: runlen (pairs; with elementsize = the item size for wider types), blosc2 with LZ4
and with Zstd (level 5, byte shuffle with the item size, one thread), zstd (level 3), lz4
(frame, default level), runlen's PackBits and imagecodecs' PackBits (the run-length scheme
of TIFF). Inputs,
all from images that scikit-image and matplotlib install (nothing is downloaded):

- mask: scikit-image's horse silhouette, a uint8 0/1 mask, scaled 6x (nearest neighbour);
- labels uint8 / uint16 / uint32: a SLIC segmentation of scikit-image's astronaut photo
  (about 200 and 2000 segments) scaled 4x, as a label image of that type;
- screenshot: a matplotlib window (a figure with text, a grid and curves) rendered by Agg;
- photo: scikit-image's astronaut photograph, RGB uint8, as it is.

With --packbits DIR, the inputs are instead the files of DIR (the benchmarks' corpora, as
the demo's `dump` writes them: generated and real, photographs, scans, prose, machine
code) and the codecs runlen's pairs, runlen's PackBits and imagecodecs' PackBits.

Every codec runs on every input in each round, in one process; each figure is the median
over the rounds of a batch of calls lasting at least --min-time. GB/s counts the raw bytes.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

import runlen


def inputs(quick: bool) -> dict[str, np.ndarray]:
    from skimage import data
    from skimage.segmentation import slic

    scale_mask, scale_labels = (2, 2) if quick else (6, 4)
    horse = (~data.horse()).astype(np.uint8)  # 1 inside the horse
    mask = horse.repeat(scale_mask, 0).repeat(scale_mask, 1)
    photo = data.astronaut()
    few = slic(photo, n_segments=200, start_label=1, compactness=10)
    many = slic(photo, n_segments=2000, start_label=1, compactness=10)
    up = lambda a: a.repeat(scale_labels, 0).repeat(scale_labels, 1)  # noqa: E731
    assert few.max() < 256 < many.max()
    return {
        "mask": mask,
        "labels uint8": up(few).astype(np.uint8),
        "labels uint16": up(many).astype(np.uint16),
        "labels uint32": up(many).astype(np.uint32),
        "screenshot": screenshot(),
        "photo": photo,
    }


def screenshot() -> np.ndarray:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 7), dpi=100)
    x = np.linspace(0, 10, 500)
    for i, ax in enumerate(axes):
        for k in range(4):
            ax.plot(x, np.sin(x * (k + 1) / 2 + i) * (k + 1), label=f"series {k}")
        ax.grid(True)
        ax.legend()
        ax.set_title(f"Panel {i + 1}: a window with text, a grid and curves")
        ax.set_xlabel("time (s)")
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()
    plt.close(fig)
    return rgb


def codecs(item: int, others: bool = True) -> dict[str, tuple[Callable[[np.ndarray], bytes], Callable[[bytes], bytes]]]:
    """Every codec compared; with others=False only runlen's two formats and imagecodecs'
    PackBits (for --packbits, which needs neither blosc2 nor zstd nor lz4)."""
    import imagecodecs

    table = {"runlen": (lambda a: runlen.encode(a), lambda b: runlen.decode(b))}
    if item > 1:
        table[f"runlen k={item}"] = (lambda a: runlen.encode(a, elementsize=item),
                                     lambda b: runlen.decode(b, elementsize=item))
    if others:
        import blosc2
        import lz4.frame
        import zstandard

        blosc2.set_nthreads(1)
        zc, zd = zstandard.ZstdCompressor(level=3), zstandard.ZstdDecompressor()

        def blosc(codec):
            cparams = {"codec": codec, "clevel": 5, "typesize": item, "nthreads": 1,
                       "filters": [blosc2.Filter.SHUFFLE]}
            return (lambda a: blosc2.compress2(a, **cparams),
                    lambda b: blosc2.decompress2(b, nthreads=1))

        table.update({
            "blosc2 lz4": blosc(blosc2.Codec.LZ4),
            "blosc2 zstd": blosc(blosc2.Codec.ZSTD),
            "zstd 3": (lambda a: zc.compress(a), lambda b: zd.decompress(b)),
            "lz4": (lambda a: lz4.frame.compress(a), lambda b: lz4.frame.decompress(b)),
        })
    table.update({
        "runlen packbits": (lambda a: runlen.packbits.encode(a),
                            lambda b: runlen.packbits.decode(b)),
        # A flat byte view, not a copy: the copy's time is not imagecodecs'.
        "imagecodecs packbits": (lambda a: imagecodecs.packbits_encode(a.reshape(-1).view(np.uint8)),
                                 lambda b: imagecodecs.packbits_decode(b)),
    })
    return table


def packbits_codecs(item: int) -> dict[str, tuple[Callable[[np.ndarray], bytes], Callable[[bytes], bytes]]]:
    """runlen's two formats and imagecodecs' PackBits, for --packbits."""
    return codecs(item, others=False)


def files(path: str) -> dict[str, np.ndarray]:
    """Every *.bin file of a folder, as uint8 arrays named by their stem."""
    import pathlib
    return {p.stem: np.fromfile(p, dtype=np.uint8) for p in sorted(pathlib.Path(path).glob("*.bin"))}


def timed(call: Callable[[], object], min_time: float) -> float:
    """Seconds per call: a batch of calls lasting at least min_time."""
    n = 1
    while True:
        start = time.perf_counter()
        for _ in range(n):
            call()
        took = time.perf_counter() - start
        if took >= min_time:
            return took / n
        n = max(2 * n, int(n * min_time / max(took, 1e-9)) + 1)


def measure(arrays: dict[str, np.ndarray], rounds: int, min_time: float, which=None):
    jobs = []
    for name, array in arrays.items():
        a = np.ascontiguousarray(array)
        for codec, (enc, dec) in (which or codecs)(a.dtype.itemsize).items():
            encoded = bytes(enc(a))
            assert bytes(dec(encoded)) == a.tobytes(), (name, codec)
            jobs.append((name, codec, a, enc, dec, encoded))
    times: dict[tuple[str, str], tuple[list[float], list[float]]] = {
        (j[0], j[1]): ([], []) for j in jobs}
    for _ in range(rounds):  # interleaved: every job once per round
        for name, codec, a, enc, dec, encoded in jobs:
            times[name, codec][0].append(timed(lambda: enc(a), min_time))
            times[name, codec][1].append(timed(lambda: dec(encoded), min_time))
    rows = []
    for name, codec, a, _, _, encoded in jobs:
        e, d = (statistics.median(t) for t in times[name, codec])
        rows.append({"input": name, "codec": codec, "raw": a.nbytes, "size": len(encoded),
                     "ratio": a.nbytes / len(encoded), "enc": a.nbytes / e / 1e9,
                     "dec": a.nbytes / d / 1e9, "shape": a.shape, "dtype": str(a.dtype)})
    return rows


def packbits_ratios(rows) -> str:
    """runlen's PackBits over imagecodecs' PackBits, per input: encode and decode speed."""
    lines = ["| input | encode: runlen / imagecodecs | decode: runlen / imagecodecs |",
             "|---|---|---|"]
    cell = {(r["input"], r["codec"]): r for r in rows}
    for name in dict.fromkeys(r["input"] for r in rows):
        ours, theirs = cell[name, "runlen packbits"], cell[name, "imagecodecs packbits"]
        lines.append(f"| {name} | {ours['enc'] / theirs['enc']:.1f}x | "
                     f"{ours['dec'] / theirs['dec']:.1f}x |")
    return "\n".join(lines)


def table(rows) -> str:
    lines = ["| input | codec | ratio | encode GB/s | decode GB/s |", "|---|---|---|---|---|"]
    last = None
    for r in rows:
        label = "" if r["input"] == last else (
            f"{r['input']} ({'x'.join(map(str, r['shape']))} {r['dtype']}, {r['raw'] / 2**20:.1f} MiB)")
        last = r["input"]
        best = max(x["ratio"] for x in rows if x["input"] == r["input"])
        ratio = f"{r['ratio']:.2f}" if r["ratio"] < 10 else f"{r['ratio']:.0f}"
        if r["ratio"] == best:
            ratio = f"**{ratio}**"
        lines.append(f"| {label} | {r['codec']} | {ratio} | {r['enc']:.2f} | {r['dec']:.2f} |")
    return "\n".join(lines)


def chart(rows, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(r["input"] for r in rows))
    codec_names = sorted(dict.fromkeys(r["codec"].replace(" k=2", " k").replace(" k=4", " k")
                                       for r in rows), key=lambda c: not c.startswith("runlen"))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), dpi=80)
    width = 0.8 / len(codec_names)
    for c, codec in enumerate(codec_names):
        for ax, key in zip(axes, ("ratio", "enc", "dec")):
            xs, ys = [], []
            for i, name in enumerate(names):
                for r in rows:
                    short = r["codec"].replace(" k=2", " k").replace(" k=4", " k")
                    if r["input"] == name and short == codec:
                        xs.append(i + c * width)
                        ys.append(r[key])
            ax.bar(xs, ys, width, label=codec.replace(" k", " k=itemsize"))
    titles = ("compression ratio (raw / encoded, log)", "encode GB/s (log)", "decode GB/s (log)")
    for ax, title in zip(axes, titles):
        ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(names))])
        ax.set_xticklabels(names, rotation=30, ha="right")
        ax.grid(True, axis="y", alpha=0.3)
    axes[0].axhline(1, color="black", lw=0.8)
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def elementsize_check(rounds: int) -> None:
    """The issue's target: 16 MiB of uint16 labels, encode/decode with elementsize=2 against
    the plain calls (ratio of speeds, medians of interleaved rounds)."""
    from skimage import data
    from skimage.segmentation import slic

    labels = slic(data.astronaut(), n_segments=2000, start_label=1, compactness=10)
    x = np.ascontiguousarray(labels.repeat(8, 0).repeat(8, 1)[:4096, :2048].astype(np.uint16))
    plain, planes = runlen.encode(x), runlen.encode(x, elementsize=2)
    calls = {"encode": lambda: runlen.encode(x),
             "encode k=2": lambda: runlen.encode(x, elementsize=2),
             "decode": lambda: runlen.decode(plain),
             "decode k=2": lambda: runlen.decode(planes, elementsize=2)}
    t: dict[str, list[float]] = {k: [] for k in calls}
    for _ in range(rounds):
        for k, call in calls.items():
            t[k].append(timed(call, 0.05))
    m = {k: statistics.median(v) for k, v in t.items()}
    print(f"16 MiB uint16 labels ({x.shape}): elementsize=2 size {len(planes)} = "
          f"{len(planes) / len(plain):.1%} of plain pairs ({len(plain)}), "
          f"{len(planes) / x.nbytes:.1%} of raw")
    for k in calls:
        print(f"  {k:11s} {x.nbytes / m[k] / 1e9:6.2f} GB/s")
    print(f"  encode k=2 / encode speed {m['encode'] / m['encode k=2']:.2f}x, "
          f"decode k=2 / decode speed {m['decode'] / m['decode k=2']:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--min-time", type=float, default=0.02)
    parser.add_argument("--quick", action="store_true", help="smaller inputs")
    parser.add_argument("--chart", help="write the chart (PNG) here")
    parser.add_argument("--packbits", metavar="DIR",
                        help="runlen's formats against imagecodecs' PackBits on DIR/*.bin")
    parser.add_argument("--elementsize-check", action="store_true",
                        help="only the 16 MiB uint16 elementsize=2 speed check")
    args = parser.parse_args()
    import imagecodecs

    if args.packbits:
        print(f"runlen {runlen.__version__} ({runlen.backend()}), imagecodecs "
              f"{imagecodecs.__version__}, numpy {np.__version__}, Python "
              f"{platform.python_version()}; median of {args.rounds} interleaved rounds\n")
        rows = measure(files(args.packbits), args.rounds, args.min_time, packbits_codecs)
        print(table(rows))
        print()
        print(packbits_ratios(rows))
        return
    import blosc2
    import lz4
    import zstandard

    print(f"runlen {runlen.__version__} ({runlen.backend()}), blosc2 {blosc2.__version__}, "
          f"zstandard {zstandard.__version__}, lz4 {lz4.__version__}, imagecodecs "
          f"{imagecodecs.__version__}, numpy {np.__version__}, Python {platform.python_version()}; "
          f"median of {args.rounds} interleaved rounds\n")
    if args.elementsize_check:
        elementsize_check(args.rounds)
        return
    rows = measure(inputs(args.quick), args.rounds, args.min_time)
    print(table(rows))
    if args.chart:
        chart(rows, args.chart)


if __name__ == "__main__":
    main()
