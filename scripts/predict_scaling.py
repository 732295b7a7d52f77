#!/usr/bin/env python3
"""Predicts parallel efficiency at larger rank counts from the per-tile render
times of a --stats file: each rank's work under rsrender's partition (tiles
in Z-order, dealt round-robin) against contiguous blocks of tiles in row
order, with efficiency = mean work per rank / the busiest rank's work
(communication and start-up are left out: they measured under 2% here).

Usage: predict_scaling.py STATS.json [RANKS...]   (default 16 64 256 1024)
Prints a Markdown table. Tile costs come from one render, so use a fine
tile grid (several tiles per rank at the largest rank count).
"""
import json
import sys


def interleave(v):
    x = v
    for shift, mask in ((16, 0x0000FFFF0000FFFF), (8, 0x00FF00FF00FF00FF), (4, 0x0F0F0F0F0F0F0F0F),
                        (2, 0x3333333333333333), (1, 0x5555555555555555)):
        x = (x | (x << shift)) & mask
    return x


def efficiency(loads):
    return (sum(loads) / len(loads)) / max(loads)


def main():
    stats = json.load(open(sys.argv[1]))
    ranks = [int(r) for r in sys.argv[2:]] or [16, 64, 256, 1024]
    cols, rows = stats["grid"]["cols"], stats["grid"]["rows"]
    cost = [0.0] * (cols * rows)
    for rank in stats["ranks"]:
        for tile in rank["tiles"]:
            cost[tile["id"]] += tile["seconds"]
    tiles = len(cost)
    morton = sorted(range(tiles), key=lambda t: interleave(t % cols) | (interleave(t // cols) << 1))
    print(f"{tiles} tiles ({cols}x{rows} of {stats['grid']['tile_size']} px), {sum(cost):.2f} s of tile work\n")
    print("| ranks | tiles per rank | rsrender partition | contiguous blocks |")
    print("|---|---|---|---|")
    for p in ranks:
        interleaved = [0.0] * p
        for i, t in enumerate(morton):
            interleaved[i % p] += cost[t]
        blocks = [0.0] * p
        for t in range(tiles):
            blocks[t * p // tiles] += cost[t]
        print(f"| {p} | {tiles / p:.1f} | {efficiency(interleaved):.1%} | {efficiency(blocks):.1%} |")


if __name__ == "__main__":
    main()
