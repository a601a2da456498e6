#!/usr/bin/env python3
"""run.py - run kaowu's API tests (test/api/test_*.py, unittest style) against a running instance.

Usage: KAOWU_URL=... KAOWU_HOME=... python3 test/api/run.py [--shuffle SEED] [--times FILE] [pattern]
Prints one line per test, then every response that disagrees with /api/openapi.json
("contract: ..." lines, see contract.py), and ends with "api: N passed, N failed".
  --shuffle SEED  run the tests in a random order (test classes and the tests inside each class
                  are shuffled with this seed; setUpClass still runs once per class). Tests must
                  not depend on order: each creates or selects its own data.
  --times FILE    append "<ms>\tapi\t<test id>" per test to FILE (scripts/test.sh prints the
                  slowest ten of the whole run from it).
"""
import argparse
import os
import random
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

TIMES = []


class Result(unittest.TextTestResult):
    def startTest(self, test):
        self._t0 = time.monotonic()
        super().startTest(test)

    def stopTest(self, test):
        TIMES.append((int((time.monotonic() - self._t0) * 1000), test.id()))
        super().stopTest(test)


def flatten(suite):
    """Every test case in a (nested) suite, in order."""
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from flatten(t)
        else:
            yield t


def shuffled(suite, seed):
    """The tests grouped by class, classes and tests within each class in a seeded random order.
    Grouping keeps setUpClass/tearDownClass to once per class (unittest tears a class down when
    the next test belongs to another class)."""
    rng = random.Random(seed)
    classes = {}
    for t in flatten(suite):
        classes.setdefault(type(t), []).append(t)
    groups = list(classes.values())
    rng.shuffle(groups)
    out = unittest.TestSuite()
    for g in groups:
        rng.shuffle(g)
        out.addTests(g)
    return out


def main():
    ap = argparse.ArgumentParser(description="run kaowu's API tests")
    ap.add_argument("--shuffle", metavar="SEED", type=int, help="run in a seeded random order")
    ap.add_argument("--times", metavar="FILE", help="append per-test times to FILE")
    ap.add_argument("pattern", nargs="?", default="test_*.py")
    args = ap.parse_args()
    suite = unittest.defaultTestLoader.discover(HERE, pattern=args.pattern, top_level_dir=HERE)
    if args.shuffle is not None:
        print("api: shuffled with seed %d" % args.shuffle)
        suite = shuffled(suite, args.shuffle)
    runner = unittest.TextTestRunner(verbosity=2, stream=sys.stdout, resultclass=Result)
    result = runner.run(suite)
    if args.times:
        with open(args.times, "a", encoding="utf-8") as f:
            for ms, name in TIMES:
                f.write("%d\tapi\t%s\n" % (ms, name))
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    import contract
    for line in contract.report():
        print(line)
    print("api: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
