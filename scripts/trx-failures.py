#!/usr/bin/env python3
"""Prints each failed test in the given .trx files: its name, message, the top of its stack trace and its output."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def clip(text, lines):
    rows = (text or "").strip().splitlines()
    return rows[:lines] + (["  ..."] if len(rows) > lines else [])


for path in sys.argv[1:]:
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") != "Failed":
            continue
        print(f"--- FAILED {result.get('testName')} ({result.get('duration')})")
        output = result.find("t:Output", NS)
        if output is None:
            continue
        for tag, lines in (("t:ErrorInfo/t:Message", 40), ("t:ErrorInfo/t:StackTrace", 15), ("t:StdOut", 60)):
            node = output.find(tag, NS)
            if node is not None and node.text:
                print(f"  [{tag.split(':')[-1]}]")
                for row in clip(node.text, lines):
                    print("    " + row)
