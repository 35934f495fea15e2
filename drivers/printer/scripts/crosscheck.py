#!/usr/bin/env python3
"""Cross-check our ESC/POS bytes against python-escpos 3.x (escpos.md §4.3 item 2).

Installs python-escpos into a venv under $TMPDIR if it is missing, runs
`cargo run --release -p printer --example crosscheck`, and checks that python-escpos's bytes for
the same commands appear verbatim in ours. Also prints the banjian receipt's size and build time
next to python-escpos building an equivalent receipt (the figures for the issue's note).

Usage: python3 drivers/printer/scripts/crosscheck.py   (from the workspace root)
       python3 drivers/printer/scripts/crosscheck.py --json
           only python-escpos's bytes for each case, as JSON (the `crosscheck_python` test
           compares them with ours and decodes python-escpos's whole receipt with our device)
"""
import json
import os
import subprocess
import sys
import tempfile
import timeit

VENV = os.path.join(tempfile.gettempdir(), "escpos-venv")


def ensure_escpos():
    try:
        import escpos  # noqa: F401
        return sys.executable
    except ImportError:
        pass
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV], stdout=sys.stderr)
    if subprocess.call([py, "-c", "import escpos"], stderr=subprocess.DEVNULL) != 0:
        # from PyPI; pip's chatter goes to stderr so --json stays clean
        subprocess.check_call([py, "-m", "pip", "install", "-q", "python-escpos>=3.1,<4"],
                              stdout=sys.stderr)
    return py


def python_side():
    from escpos.printer import Dummy

    out = {}
    p = Dummy()
    p.qr("https://g.cn/q?A1", native=True, size=6, model=2, ec=1)  # ec 1 = QR_ECLEVEL_M
    out["qr"] = p.output.hex()
    p = Dummy()
    p.text("办件回执 ABC\n")
    out["text"] = p.output.hex()
    p = Dummy()
    p.set(align="center")
    out["center"] = p.output.hex()
    p = Dummy()
    p.set(bold=True)
    out["bold"] = p.output.hex()

    def receipt():
        d = Dummy()
        d.set(align="center", bold=True, double_height=True, double_width=True)
        d.text("办件回执\n")
        d.set(align="center", bold=False, normal_textsize=True)
        d.text("某某县政务服务中心\n")
        d.set(align="left")
        d.text("-" * 48 + "\n")
        for k, v in [("终端", "ZW-0001 (大厅东侧)"), ("时间", "2026-11-23 10:42"),
                     ("事项", "城乡居民养老保险参保登记"), ("受理编号", "A20261123001"),
                     ("申请人", "吉*明"), ("身份证号", "3201********1234")]:
            d.text(f"{k}  {v}\n")
        d.text("下一步：审核结果将在 5 个工作日内以短信通知；如需补正材料，请携带本回执到 3 号综合窗口办理。\n")
        d.qr("https://zw.example.gov.cn/q/A20261123001", native=True, size=6, model=2, ec=1)
        d.cut()
        return d.output

    out["receipt"] = receipt().hex()
    if "--json" in sys.argv:
        return out
    n = 200
    out["banjian_bytes"] = len(receipt())
    out["banjian_us"] = timeit.timeit(receipt, number=n) / n * 1e6
    return out


def main():
    py = ensure_escpos()
    if py != sys.executable:
        os.execv(py, [py] + sys.argv)
    if "--json" in sys.argv:
        print(json.dumps(python_side()))
        return
    ours = {}
    res = subprocess.run(
        ["cargo", "run", "-q", "--release", "-p", "printer", "--example", "crosscheck"],
        check=True, capture_output=True, text=True)
    for line in res.stdout.splitlines():
        k, v = line.split(" ", 1)
        ours[k] = v
    theirs = python_side()
    ok = True
    for name in ("qr", "text"):
        found = theirs[name] in ours[name]
        ok &= found
        print(f"{name}: python-escpos bytes {'found' if found else 'NOT FOUND'} in ours")
        if not found:
            print(f"  ours   {ours[name]}\n  theirs {theirs[name]}")
    ours_us = float(ours["banjian_us"])
    print(f"banjian: ours {ours['banjian_bytes']} bytes {ours_us:.1f} µs; "
          f"python-escpos {theirs['banjian_bytes']} bytes {theirs['banjian_us']:.1f} µs; "
          f"time ratio python/ours {theirs['banjian_us'] / ours_us:.1f}")
    plain_us = float(ours["banjian_plain_us"])
    print(f"banjian without the raster line (吉 for 𠮷): ours {ours['banjian_plain_bytes']} bytes "
          f"{plain_us:.1f} µs; time ratio python/ours {theirs['banjian_us'] / plain_us:.1f}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
