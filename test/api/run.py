#!/usr/bin/env python3
"""run.py - run kaowu's API tests (test/api/test_*.py, unittest style) against a running instance.

Usage: KAOWU_URL=... KAOWU_HOME=... python3 test/api/run.py [pattern]
Prints one line per test, then every response that disagrees with /api/openapi.json
("contract: ..." lines, see contract.py), and ends with "api: N passed, N failed".
"""
import os
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


class Result(unittest.TextTestResult):
    def startTest(self, test):
        self._t0 = time.monotonic()
        super().startTest(test)


def main():
    pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
    suite = unittest.defaultTestLoader.discover(HERE, pattern=pattern, top_level_dir=HERE)
    runner = unittest.TextTestRunner(verbosity=2, stream=sys.stdout, resultclass=Result)
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
    passed = result.testsRun - failed - len(result.skipped)
    import contract
    for line in contract.report():
        print(line)
    print("api: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and result.testsRun > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
