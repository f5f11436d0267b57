#!/usr/bin/env python3
"""Prints, for each failed test in the given TRX files, its error message, the top of its stack trace and the
tail of its output (the processes' logs an integration test prints on failure), so that the end of a CI log
says why a test failed. Usage: trx_failures.py FILE.trx... (at most MAX_LINES lines per failed test)."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
MESSAGE_LINES, STACK_LINES, OUTPUT_LINES = 12, 8, 60


def text(element, path):
    found = element.find(path, NS)
    return (found.text or "").rstrip() if found is not None else ""


def head(value, count):
    return value.splitlines()[:count]


def tail(value, count):
    return value.splitlines()[-count:]


def main(paths):
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as error:
            print(f"(cannot read {path}: {error})")
            continue
        for result in root.iter(f"{{{NS['t']}}}UnitTestResult"):
            if result.get("outcome") != "Failed":
                continue
            print(f"--- FAILED {result.get('testName')} ({result.get('duration')})")
            for line in head(text(result, "t:Output/t:ErrorInfo/t:Message"), MESSAGE_LINES):
                print(f"  message: {line}")
            for line in head(text(result, "t:Output/t:ErrorInfo/t:StackTrace"), STACK_LINES):
                print(f"  stack: {line}")
            output = text(result, "t:Output/t:StdOut")
            if output:
                print(f"  output (last {OUTPUT_LINES} lines):")
                for line in tail(output, OUTPUT_LINES):
                    print(f"    {line}")


if __name__ == "__main__":
    main(sys.argv[1:])
