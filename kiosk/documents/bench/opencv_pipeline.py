#!/usr/bin/env python3
"""The document pipeline's steps with OpenCV, for comparison with documents-bench.

Same input file, one thread (cv2.setNumThreads(1); run it under `taskset -c 0` as
bench/run.sh does), same steps and thresholds where OpenCV has them:

  decode to grey (cv2.imdecode IMREAD_GRAYSCALE)
  detect: area-downscale to ~640 px, 3x3 box, Otsu, 3x3 opening, largest external contour,
          convex hull, approxPolyDP to 4 points (2 % of the perimeter), scale back up
          (no full-resolution sub-pixel refinement: OpenCV has no ready-made equivalent of
          the edge-profile line fit, so the Rust side does strictly more work here)
  warp:   getPerspectiveTransform + warpPerspective, bilinear, to 1654x2339 (A4 at 200 dpi)
  measure: background = 1/8 area downscale, 9x9 dilation, 9x9 box, bilinear upscale;
          ink share at half resolution (darker than 0.72 of the paper and 12 levels);
          blur = variance of the Laplacian on the inner page in the capture (OpenCV's
          usual blur check); skew = minAreaRect of the ink points (OpenCV's usual deskew)
  enhance: divide by the background, stretch black point .. 0.9 of paper to 0 .. 255
  encode: JPEG q85, bisection down to q25 until <= 500 000 bytes

Prints min and median per stage and in total, and VmHWM before and after.
"""

import argparse
import os
import statistics
import sys
import time

import cv2
import numpy as np

MAX_BYTES = 500_000
OUT_W, OUT_H = 1654, 2339


def status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def order_clockwise(pts):
    c = pts.mean(axis=0)
    ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
    pts = pts[np.argsort(ang)]
    start = np.argmin(pts[:, 0] + pts[:, 1])
    return np.roll(pts, -start, axis=0)


def detect(gray):
    h, w = gray.shape
    k = max(1, max(w, h) // 640)
    small = cv2.resize(gray, (w // k, h // k), interpolation=cv2.INTER_AREA)
    small = cv2.blur(small, (3, 3))
    _, binary = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    binary = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return None
    c = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(c)
    quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    if len(quad) != 4:
        return None
    pts = (quad.reshape(4, 2).astype(np.float32) + 0.5) * k
    return order_clockwise(pts)


def encode_within(page, max_bytes):
    def enc(q):
        ok, buf = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, q])
        if not ok:
            raise RuntimeError("imencode failed")
        return buf

    first = enc(85)
    if len(first) <= max_bytes:
        return first, 85, 1
    lo, hi, best, n = 25, 84, None, 1
    while lo <= hi:
        mid = (lo + hi) // 2
        buf = enc(mid)
        n += 1
        if len(buf) <= max_bytes:
            best, lo = (buf, mid), mid + 1
        else:
            hi = mid - 1
    if best is None:
        raise RuntimeError("page does not fit")
    return best[0], best[1], n


def process(data):
    t = {}
    t0 = time.perf_counter()
    gray = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None:
        raise RuntimeError("decode failed")
    t["decode"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    corners = detect(gray)
    if corners is None:
        raise RuntimeError("no page")
    across = (np.linalg.norm(corners[1] - corners[0]) + np.linalg.norm(corners[2] - corners[3])) / 2
    down = (np.linalg.norm(corners[3] - corners[0]) + np.linalg.norm(corners[2] - corners[1])) / 2
    w, h = (OUT_W, OUT_H) if down >= across else (OUT_H, OUT_W)
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    m = cv2.getPerspectiveTransform(corners - 0.5, dst - 0.5)
    t["detect"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    page = cv2.warpPerspective(gray, m, (w, h), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    t["warp"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    small = cv2.resize(page, (w // 8, h // 8), interpolation=cv2.INTER_AREA)
    small = cv2.dilate(small, np.ones((9, 9), np.uint8))
    small = cv2.blur(small, (9, 9)).astype(np.float32)
    bg = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    half = cv2.resize(page, (w // 2, h // 2), interpolation=cv2.INTER_AREA).astype(np.float32)
    bg_half = cv2.resize(small, (w // 2, h // 2), interpolation=cv2.INTER_LINEAR)
    my, mx = int(h // 2 * 0.04), int(w // 2 * 0.04)
    inner = (slice(my, h // 2 - my), slice(mx, w // 2 - mx))
    ink_mask = (half[inner] < 0.72 * bg_half[inner]) & (bg_half[inner] - half[inner] > 12)
    ink = float(ink_mask.mean())
    ratios = half[inner][ink_mask] / bg_half[inner][ink_mask]
    black = min(0.45, float(np.quantile(ratios, 0.2))) if ratios.size else 0.0
    cx, cy = corners.mean(axis=0)
    region = (corners - [cx, cy]) * 0.7 + [cx, cy]
    x0, y0 = np.maximum(region.min(axis=0).astype(int), 0)
    x1, y1 = region.max(axis=0).astype(int)
    blur = cv2.Laplacian(gray[y0:y1, x0:x1], cv2.CV_64F).var()
    ys, xs = np.nonzero(ink_mask)
    skew = cv2.minAreaRect(np.column_stack((xs, ys)).astype(np.float32))[2] if xs.size else 0.0
    t["measure"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    gain = 255.0 / (0.9 - black)
    out = cv2.divide(page.astype(np.float32), bg, scale=gain)
    out = cv2.convertScaleAbs(out, alpha=1.0, beta=-black * gain)
    t["enhance"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    jpeg, q, n = encode_within(out, MAX_BYTES)
    t["encode"] = time.perf_counter() - t0
    info = dict(w=w, h=h, q=q, encodes=n, bytes=len(jpeg), ink=ink, blur=blur, skew=skew,
                corners=corners.tolist())
    return jpeg, t, info


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--out-dir")
    a = ap.parse_args()
    cv2.setNumThreads(1)
    data = open(a.input, "rb").read()
    baseline = status_kib("VmHWM:")
    totals, stages, last = [], [], None
    for i in range(a.warmup + a.runs):
        t0 = time.perf_counter()
        jpeg, t, info = process(data)
        el = time.perf_counter() - t0
        if i >= a.warmup:
            totals.append(el * 1000)
            stages.append(t)
        last = (jpeg, info)
    print(f"opencv {cv2.__version__}, numpy {np.__version__}, threads {cv2.getNumThreads()}, "
          f"{a.warmup} warm-up + {a.runs} timed runs")
    if totals:
        print(f"process total: p50 {statistics.median(totals):.1f} ms, min {min(totals):.1f} ms")
        for name in ["decode", "detect", "warp", "measure", "enhance", "encode"]:
            v = [s[name] * 1000 for s in stages]
            print(f"  {name:8} p50 {statistics.median(v):7.1f} ms  min {min(v):7.1f} ms")
    jpeg, info = last
    print(f"page: {info['w']}x{info['h']}, JPEG q{info['q']} ({info['encodes']} encodes), "
          f"{info['bytes']} bytes; ink {info['ink']:.4f}, laplacian var {info['blur']:.1f}, "
          f"minAreaRect angle {info['skew']:.2f}")
    print(f"memory: VmHWM {status_kib('VmHWM:')} KiB (baseline after imports and reading the "
          f"input {baseline} KiB), VmRSS {status_kib('VmRSS:')} KiB")
    if a.out_dir:
        os.makedirs(a.out_dir, exist_ok=True)
        path = os.path.join(a.out_dir, "page-opencv.jpg")
        with open(path, "wb") as f:
            f.write(jpeg.tobytes())
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
