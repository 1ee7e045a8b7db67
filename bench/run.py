"""Benchmark of the PDF summary (`make bench`). Renders a typical patient and prints:

- our render time against bare `weasyprint.HTML(string=html).write_pdf()` on the same HTML,
  measured in one run, interleaved (target: ratio 1.15 or less);
- the median and p95 of warm renders;
- the resident memory (RSS) after 100 renders against after 10, and the same for bare renders
  of the same HTML as the baseline.

"Ours" is `render_summary_pdf`: Jinja (cached templates), the cached print stylesheet and one
FontConfiguration, the locked fetcher, the page-1 fit check and PDF/UA-1 tagging. "Bare" gets
the self-contained HTML from `render_summary_html` (the same CSS, inlined) and no options. The
row "bare + pdf/ua-1" shows how much of the difference is tagging alone.
"""

import argparse
import datetime
import gc
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import weasyprint  # noqa: E402

from decision_aid import pdf  # noqa: E402
from decision_aid.guidance import evaluate  # noqa: E402

PATIENT = ROOT / "tests" / "data" / "pdf_answers_typical.json"
# The typical summary as it was before issue 26 (10 pages): its self-contained HTML, made by
# that commit's render_summary_html (5bb4910), rendered bare with pdf/ua-1 as the baseline.
BASELINE = ROOT / "bench" / "baseline-typical.html"
TODAY = datetime.date(2026, 11, 25)
OPTIONS = dict(reference="ABCD-EFGH", today=TODAY, clinic_name="St Example Neurology")


def rss_mib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def growth_per_render(func, renders):
    """RSS after 10 and after `renders` calls of `func`, and the growth per call between."""
    rss = {}
    for n in range(1, renders + 1):
        func()
        if n in (10, renders):
            gc.collect()
            rss[n] = rss_mib()
    rss["per_render"] = (rss[renders] - rss[10]) / (renders - 10)
    return rss


def timed(func, cpu=None):
    """Wall milliseconds of one call; with `cpu` (a list), its CPU milliseconds are appended
    there too: this process's CPU time, which other programs on a busy host do not inflate."""
    start, start_cpu = time.perf_counter(), time.process_time()
    func()
    if cpu is not None:
        cpu.append((time.process_time() - start_cpu) * 1000)
    return (time.perf_counter() - start) * 1000


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="interleaved timing rounds")
    parser.add_argument("--renders", type=int, default=100, help="renders for the memory check")
    args = parser.parse_args(argv)

    answers = json.loads(PATIENT.read_text(encoding="utf-8"))
    result = evaluate(answers, TODAY)
    html = pdf.render_summary_html(answers, result, **OPTIONS)

    def ours():
        return pdf.render_summary_pdf(answers, result, **OPTIONS)

    def bare():
        return weasyprint.HTML(string=html).write_pdf()

    def bare_ua():
        return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")

    baseline_html = BASELINE.read_text(encoding="utf-8")

    def baseline():
        return weasyprint.HTML(string=baseline_html).write_pdf(pdf_variant="pdf/ua-1")

    first = timed(ours)  # first render after import: fonts, stylesheet, templates get cached
    for func in (bare, bare_ua, baseline):
        func()
    pages = len(weasyprint.HTML(string=html).render().pages)
    baseline_pages = len(weasyprint.HTML(string=baseline_html).render().pages)

    times = {"ours": [], "bare": [], "bare_ua": [], "baseline": []}
    cpu = {name: [] for name in times}
    funcs = (("ours", ours), ("bare", bare), ("bare_ua", bare_ua), ("baseline", baseline))
    for _ in range(args.rounds):  # interleaved, so that machine noise hits all alike
        for name, func in funcs:
            times[name].append(timed(func, cpu[name]))
    med = {name: statistics.median(values) for name, values in times.items()}
    med_cpu = {name: statistics.median(values) for name, values in cpu.items()}

    # Memory: counted from here (the renders above were warm-up and timing). Then the same
    # count of bare renders of the same HTML, as the baseline: WeasyPrint's own native memory
    # grows with each render, and ours should grow no faster.
    rss = growth_per_render(ours, args.renders)
    bare_rss = growth_per_render(bare, args.renders)

    ratio = med["ours"] / med["bare"]
    rows = [
        ("pages in the typical summary", f"{pages}", f"before: {baseline_pages}"),
        ("ours, ms per page", f"{med['ours'] / pages:.0f} ms", ""),
        ("before (baseline HTML + pdf/ua-1), median", f"{med['baseline']:.0f} ms", "bench/"),
        ("before, ms per page", f"{med['baseline'] / baseline_pages:.0f} ms", ""),
        ("ratio ours / before", f"{med['ours'] / med['baseline']:.2f}", "target <= 0.5"),
        ("ours, CPU ms, median", f"{med_cpu['ours']:.0f} ms", "busy host: read CPU"),
        ("before, CPU ms, median", f"{med_cpu['baseline']:.0f} ms", ""),
        ("ratio ours / before, CPU", f"{med_cpu['ours'] / med_cpu['baseline']:.2f}", "<= 0.5"),
        ("ratio ours / bare, CPU", f"{med_cpu['ours'] / med_cpu['bare']:.2f}", "<= 1.15"),
        ("first render after import", f"{first:.0f} ms", ""),
        ("bare HTML(string).write_pdf(), median", f"{med['bare']:.0f} ms", ""),
        ("bare + pdf/ua-1, median", f"{med['bare_ua']:.0f} ms", ""),
        ("ours render_summary_pdf(), median", f"{med['ours']:.0f} ms", ""),
        ("ratio ours / bare", f"{ratio:.2f}", "target <= 1.15"),
        ("ratio ours / (bare + pdf/ua-1)", f"{med['ours'] / med['bare_ua']:.2f}", ""),
        ("warm renders, median", f"{statistics.median(times['ours']):.0f} ms", ""),
        ("warm renders, p95", f"{percentile(times['ours'], 0.95):.0f} ms", ""),
        ("RSS after 10 renders", f"{rss[10]:.0f} MiB", ""),
        (f"RSS after {args.renders} renders", f"{rss[args.renders]:.0f} MiB", ""),
        ("growth per render, ours", f"{rss['per_render']:.3f} MiB", ""),
        ("growth per render, bare", f"{bare_rss['per_render']:.3f} MiB", "baseline"),
        (
            "growth ratio ours / bare",
            f"{rss['per_render'] / bare_rss['per_render']:.2f}"
            if bare_rss["per_render"] > 0
            else "n/a",
            "<= 1: no leak of ours",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    version = weasyprint.__version__
    print(f"PDF summary benchmark: {args.rounds} interleaved rounds, WeasyPrint {version}")
    print(f"{'measure':<{width}}  {'value':>10}  note")
    print(f"{'-' * width}  {'-' * 10}  {'-' * 14}")
    for label, value, note in rows:
        print(f"{label:<{width}}  {value:>10}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
