"""The benchmark's targets, its printed table and the committed summary (bench/LATEST.md)."""

import os
import platform
import subprocess

from django.db import connection

from bench.sections import kept_sections

MAX_QUERIES = 12
MAX_MEDIAN_MS = 50
MAX_P95_MS = 100
MAX_SWEEP_SECONDS = 5
MIN_RPS = 300
MAX_LOAD_P95_MS = 100
MAX_ADMIN_RATIO = 0.5
MIN_MIXED_READS_RPS = 300
MAX_MIXED_READ_P95_MS = 100
MAX_MIXED_WRITE_P95_MS = 150
ADMIN_KEY = "admin_actions"
# The load test's reference page (bench/run.py): not a target, the ceiling the targets sit under.
LOAD_REFERENCE = "reference: accessibility statement"


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (pg_version,) = cursor.fetchone()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = ""
    return {
        "load_average": [round(n, 2) for n in os.getloadavg()],
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": pg_version,
        "platform": platform.platform(terse=True),
        "commit": commit,
    }


def _sizes(results):
    """The small and the main data set (the growth set, when measured, is neither)."""
    keys = sorted(results["sizes"], key=int)
    large = str(results["options"]["actions"]) if str(results["options"]["actions"]) in keys else keys[-1]
    smaller = [key for key in keys if int(key) < int(large)]
    return (smaller[0] if smaller else large), large


def _growth(results):
    """The 10× data set's key, when it was measured."""
    keys = sorted(results["sizes"], key=int)
    _, large = _sizes(results)
    bigger = [key for key in keys if int(key) > int(large)]
    return bigger[-1] if bigger else None


def _page_keys(results):
    small, large = _sizes(results)
    return [key for key in results["sizes"][large]["pages"] if key != ADMIN_KEY]


def evaluate(results) -> list[dict]:
    small, large = _sizes(results)
    big = results["sizes"][large]
    admin = big["pages"].get(ADMIN_KEY, {})
    targets = []

    def add(name, met, detail):
        targets.append({"target": name, "met": bool(met), "detail": detail})

    for key in _page_keys(results):
        page = big["pages"][key]
        title = page["title"]
        if not page.get("available"):
            add(f"{title}: measured", False, "page not available yet")
            continue
        small_page = results["sizes"][small]["pages"].get(key, {})
        add(f"{title}: answers 200", page["status"] == 200, f"HTTP {page['status']}")
        same = small_page.get("queries") == page["queries"]
        add(
            f"{title}: ≤ {MAX_QUERIES} queries, same at {int(small):,} and {int(large):,}",
            page["queries"] <= MAX_QUERIES and same,
            f"{small_page.get('queries')} → {page['queries']}",
        )
        add(
            f"{title}: cold median ≤ {MAX_MEDIAN_MS} ms, p95 ≤ {MAX_P95_MS} ms",
            page["cold_median_ms"] <= MAX_MEDIAN_MS and page["cold_p95_ms"] <= MAX_P95_MS,
            f"median {page['cold_median_ms']} ms, p95 {page['cold_p95_ms']} ms",
        )
        if admin.get("available"):
            ratio = page["cold_median_ms"] / admin["cold_median_ms"]
            add(
                f"{title}: ≤ {MAX_ADMIN_RATIO}× the admin changelist (cold)",
                ratio <= MAX_ADMIN_RATIO,
                f"{page['cold_median_ms']} vs {admin['cold_median_ms']} ms ({ratio:.2f}×)",
            )
        for query in page.get("explain", []):
            add(
                f"{title}: no Seq Scan on actions, no whole-table Sort",
                not query["seq_scan_on_actions"] and not query["full_sort"],
                f"{query['plan_root']}, largest sort {query['largest_sort_rows']} rows, {query['execution_ms']} ms",
            )

    sweep_small, sweep_big = results["sizes"][small]["sweep"], big["sweep"]
    if sweep_big.get("available"):
        add(
            f"Reminder sweep: ≤ {MAX_SWEEP_SECONDS} s, queries do not grow with the data",
            sweep_big["seconds"] <= MAX_SWEEP_SECONDS and sweep_small.get("queries") == sweep_big["queries"],
            f"{sweep_big['seconds']} s; queries {sweep_small.get('queries')} → {sweep_big['queries']}",
        )
    else:
        add("Reminder sweep: measured", False, sweep_big.get("reason", "not available yet"))

    mixed = results.get("mixed")
    if not mixed or "error" in mixed:
        add("Mixed load test: run", False, (mixed or {}).get("error", "not run"))
    else:
        reads, writes = mixed["reads"], mixed["writes"]
        if "error" in reads:
            add("Mixed load test: readers ran", False, reads["error"])
        else:
            add(
                f"Mixed load: reads ≥ {MIN_MIXED_READS_RPS}/s, p95 ≤ {MAX_MIXED_READ_P95_MS} ms, no errors",
                reads["rps"] >= MIN_MIXED_READS_RPS
                and reads["p95_ms"] <= MAX_MIXED_READ_P95_MS
                and reads["non2xx"] == 0
                and reads["socket_errors"] == 0,
                f"{reads['rps']} reads/s, p95 {reads['p95_ms']} ms, non-2xx {reads['non2xx']}, "
                f"errors {reads['socket_errors']}",
            )
        add(
            f"Mixed load: writes at {writes['asked_rate']:g}/s, p95 ≤ {MAX_MIXED_WRITE_P95_MS} ms, no errors",
            writes["errors"] == 0
            and writes["p95_ms"] is not None
            and writes["p95_ms"] <= MAX_MIXED_WRITE_P95_MS
            and writes["rate"] >= 0.95 * writes["asked_rate"],
            f"{writes['rate']} writes/s acknowledged, p95 {writes['p95_ms']} ms, errors {writes['errors']}"
            + (f" ({', '.join(writes['first_errors'])})" if writes["first_errors"] else ""),
        )
        add(
            "Mixed load: every acknowledged write is in the database afterwards",
            writes["missing_after"] == 0 and writes["acknowledged"] > 0,
            f"{writes['acknowledged']} acknowledged, {writes['missing_after']} missing",
        )

    if not results["load"]:
        add("Load test: run", False, "not run")
    for load in results["load"]:
        if load["page"] == LOAD_REFERENCE:
            continue
        if "error" in load:
            add(f"Load test {load['page']}: run", False, load["error"])
            continue
        add(
            f"Load test {load['page']}: ≥ {MIN_RPS} req/s, p95 ≤ {MAX_LOAD_P95_MS} ms, no errors",
            load["rps"] >= MIN_RPS
            and load["p95_ms"] <= MAX_LOAD_P95_MS
            and load["non2xx"] == 0
            and load["socket_errors"] == 0,
            f"{load['rps']} req/s, p95 {load['p95_ms']} ms, non-2xx {load['non2xx']}, errors {load['socket_errors']}",
        )
    return targets


def _size_label(size):
    size = int(size)
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else f"{size:,}"


def _page_rows(results):
    small, large = _sizes(results)
    keys = [*_page_keys(results), ADMIN_KEY]
    admin = results["sizes"][large]["pages"].get(ADMIN_KEY, {})
    rows = []
    for key in keys:
        a = results["sizes"][small]["pages"].get(key, {})
        b = results["sizes"][large]["pages"].get(key, {})
        if not b.get("available"):
            rows.append([b.get("title", key), b.get("role", ""), *(["–"] * 9), "not available"])
            continue
        cold_ratio = f"{b['cold_median_ms'] / admin['cold_median_ms']:.2f}" if admin.get("available") else "–"
        rows.append(
            [
                b["title"],
                b["role"],
                str(a.get("queries", "–")),
                str(b["queries"]),
                f"{a['cold_median_ms']:.1f}" if a else "–",
                f"{b['cold_median_ms']:.1f}",
                f"{a['cold_p95_ms']:.1f}" if a else "–",
                f"{b['cold_p95_ms']:.1f}",
                cold_ratio,
                f"{b['median_ms']:.1f}",
                f"{b['p95_ms']:.1f}",
            ]
        )
    small_k, large_k = _size_label(small), _size_label(large)
    header = [
        "Page",
        "Signed in as",
        f"Queries {small_k}",
        f"Queries {large_k}",
        f"Cold median ms {small_k}",
        f"Cold median ms {large_k}",
        f"Cold p95 ms {small_k}",
        f"Cold p95 ms {large_k}",
        f"Cold × admin {large_k}",
        f"Repeated median ms {large_k}",
        f"Repeated p95 ms {large_k}",
    ]
    return header, rows


def _markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _text_table(header, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([line.format(*header), line.format(*("-" * w for w in widths))] + [line.format(*r) for r in rows])


def _load_rows(results):
    header = ["Page", "Requests/s", "p50 ms", "p95 ms", "p99 ms", "Non-2xx", "Socket errors", "Requests"]
    rows = []
    for load in results["load"]:
        if "error" in load:
            rows.append([load["page"], load["error"], "", "", "", "", "", ""])
            continue
        rows.append(
            [
                load["page"],
                f"{load['rps']:.0f}",
                f"{load['p50_ms']:.1f}",
                f"{load['p95_ms']:.1f}",
                f"{load['p99_ms']:.1f}",
                str(load["non2xx"]),
                str(load["socket_errors"]),
                f"{load['requests']:,}",
            ]
        )
    return header, rows


def _other_rows(results):
    header = ["Data set", "Generation s", "Busiest sweep day", "Reminders due", "Sweep s", "Sweep queries"]
    rows = []
    for size in sorted(results["sizes"], key=int):
        data = results["sizes"][size]
        sweep = data["sweep"]
        rows.append(
            [
                f"{data['counts']['actions']:,} actions / {data['counts']['progress_updates']:,} updates",
                "–" if data["generation_seconds"] is None else f"{data['generation_seconds']}",
                sweep.get("day", "–"),
                f"{sweep['reminders_due']:,}" if sweep.get("available") else "–",
                f"{sweep['seconds']}" if sweep.get("available") else "–",
                f"{sweep['queries']}" if sweep.get("available") else "–",
            ]
        )
    return header, rows


def print_report(results):
    print("\n" + _text_table(*_page_rows(results)))
    print("\n" + _text_table(*_other_rows(results)))
    if results["load"]:
        print("\n" + _text_table(*_load_rows(results)))
    print()
    for target in results["targets"]:
        print(f"{'MET ' if target['met'] else 'MISS'}  {target['target']}  ({target['detail']})")


def write_summary(results, path):
    m = results["machine"]
    met = sum(t["met"] for t in results["targets"])
    lines = [
        "# Latest benchmark figures",
        "",
        f"Run {results['run_at']} on {m['cpus']} CPUs, PostgreSQL {m['postgresql']}, Python {m['python']}"
        + (f", commit {m['commit']}" if m["commit"] else "")
        + f". Load average (1 min) at the start {m['load_average'][0]}"
        + (f", at the end {m['load_average_end'][0]}" if m.get("load_average_end") else "")
        + ": the machine is shared, and figures measured under load are slower than the service is. "
        "DEBUG off. Timed requests per page: "
        f"{results['options']['repeat']} after {results['options']['warmup']} warm-up. "
        "Produced by `python bench/run.py`; see bench/README.md.",
        "",
        "## Pages (server time in process, Django test client)",
        "",
        "No page is cached: every request runs its queries. *Cold* figures (the main columns) are for "
        "requests each made just after a write to the plan, as most requests are met while people log "
        "progress; *repeated* figures are for requests with no write between them. `Cold × admin` "
        "compares each cold median with the admin's action changelist, measured the same way in the "
        "same run. The machine is shared: see the load average above, which inflates every figure.",
        "",
        _markdown_table(*_page_rows(results)),
        "",
        "## Data and reminder sweep",
        "",
        _markdown_table(*_other_rows(results)),
        "",
    ]
    if results["load"]:
        opts = results["options"]
        lines += [
            f"## Load test (gunicorn {opts['workers']} workers × {opts['threads']} thread(s), "
            f"wrk {opts['connections']} connections, {opts['load_seconds']} s, signed in as a regional director)",
            "",
            _markdown_table(*_load_rows(results)),
            "",
            f"The *{LOAD_REFERENCE}* row is not a target: it is a signed-in page that reads no data (the "
            "session, the user and a template), served the same way. No page can serve more requests a "
            "second than it on this machine, so it shows how far the request-rate targets are from what "
            "this machine can do at all.",
            "",
        ]
    mixed = results.get("mixed")
    if mixed and "error" in mixed:
        lines += ["## Mixed load", "", f"Not run: {mixed['error']}", ""]
    elif mixed:
        reads, writes = mixed["reads"], mixed["writes"]
        opts = results["options"]
        lines += [
            f"## Mixed load (gunicorn {opts['workers']} workers, {mixed['seconds']} s)",
            "",
            f"Readers: wrk, {opts['connections']} connections, signed in as a regional director and a PDU "
            f"leader, cycling through {', '.join(sorted(set(mixed['read_paths'])))}. Writers: "
            f"{writes['asked_rate']:g} progress updates a second through the form (GET then POST), each as "
            "the PDU leader of the action's own PDU.",
            "",
            "| | Rate /s | p50 ms | p95 ms | Errors | Total |",
            "|---|---|---|---|---|---|",
            f"| Reads | {reads.get('rps', '–')} | {reads.get('p50_ms', '–')} | {reads.get('p95_ms', '–')} | "
            f"{reads.get('non2xx', 0) + reads.get('socket_errors', 0) if 'error' not in reads else reads['error']} | "
            f"{reads.get('requests', '–')} |",
            f"| Writes | {writes['rate']} | {writes['p50_ms']} | {writes['p95_ms']} | {writes['errors']} | "
            f"{writes['attempted']} |",
            "",
            f"Acknowledged writes found in the database afterwards: {writes['acknowledged'] - writes['missing_after']}"
            f" of {writes['acknowledged']}.",
            "",
        ]
    growth = _growth(results)
    if growth:
        _, large = _sizes(results)
        lines += [
            f"## Growth: {int(growth):,} actions against {int(large):,}",
            "",
            "| Page | Cold median ratio |",
            "|---|---|",
        ]
        for key, page in results["sizes"][growth]["pages"].items():
            base = results["sizes"][large]["pages"].get(key, {})
            if page.get("available") and base.get("available"):
                lines.append(f"| {page['title']} | {page['cold_median_ms'] / base['cold_median_ms']:.2f} |")
        lines.append("")
    lines += [f"## Targets: {met} of {len(results['targets'])} met", ""]
    lines += [f"- {'✅' if t['met'] else '❌'} {t['target']} — {t['detail']}" for t in results["targets"]]
    # Figures measured by other scripts (e.g. bench/restore_speed.py) stay until they measure again.
    kept = kept_sections(path)
    path.write_text("\n".join(lines) + "\n" + ("\n" + kept if kept else ""))


README_START = "<!-- latest benchmark figures: written by bench/run.py -->"
README_END = "<!-- end of latest benchmark figures -->"


def _readme_rows(results):
    """The large data set's figures, a line per page: the README's short form of LATEST.md."""
    small, large = _sizes(results)
    pages = results["sizes"][large]["pages"]
    admin = pages.get(ADMIN_KEY, {})
    rows = []
    for key in [*_page_keys(results), ADMIN_KEY]:
        page = pages.get(key, {})
        if not page.get("available"):
            continue
        ratio = f"{page['cold_median_ms'] / admin['cold_median_ms']:.2f}" if admin.get("available") else "–"
        rows.append(
            [
                page["title"],
                str(page["queries"]),
                f"{page['cold_median_ms']:.0f} / {page['cold_p95_ms']:.0f}",
                ratio,
            ]
        )
    header = ["Page", "Queries", "Cold median / p95 ms", "× admin"]
    return header, rows


def update_readme(results, path):
    """Rewrite the figures between the README's two markers, leaving the rest of it as it is."""
    text = path.read_text()
    if README_START not in text or README_END not in text:
        return False
    m = results["machine"]
    _, large = _sizes(results)
    met = sum(t["met"] for t in results["targets"])
    lines = [
        README_START,
        f"With {int(large):,} actions, measured {results['run_at'][:10]} on {m['cpus']} CPUs"
        + (f" at commit {m['commit']}" if m["commit"] else "")
        + f"; targets met: {met} of {len(results['targets'])}.",
        "",
        _markdown_table(*_readme_rows(results)),
        "",
    ]
    for load in results["load"]:
        if "error" not in load:
            lines.append(
                f"- Load test, {load['page']}: {load['rps']:.0f} requests/s, p95 {load['p95_ms']:.1f} ms, "
                f"{load['non2xx'] + load['socket_errors']} errors."
            )
    mixed = results.get("mixed")
    if mixed and "error" not in mixed and "error" not in mixed["reads"]:
        reads, writes = mixed["reads"], mixed["writes"]
        lines.append(
            f"- Mixed load: {reads['rps']:.0f} reads/s (p95 {reads['p95_ms']:.0f} ms) while "
            f"{writes['rate']} progress updates/s were posted (p95 {writes['p95_ms']} ms); "
            f"{writes['errors']} write errors, {writes['missing_after']} acknowledged writes missing."
        )
    sweep = results["sizes"][large]["sweep"]
    if sweep.get("available"):
        lines.append(
            f"- Reminder sweep on the busiest day ({sweep['reminders_due']:,} reminders): "
            f"{sweep['seconds']} s, {sweep['queries']} queries."
        )
    lines.append(README_END)
    before, rest = text.split(README_START, 1)
    after = rest.split(README_END, 1)[1]
    path.write_text(before + "\n".join(lines) + after)
    return True
