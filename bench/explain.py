"""EXPLAIN ANALYZE of a list page's queries on the actions table.

Reports, for each query that reads recommendations_action, whether PostgreSQL scans the
whole table (Seq Scan) or sorts most of it, and how long the query took.
"""

import json
import re

from django.db import connection

ACTIONS_TABLE = "recommendations_action"
FROM_ACTIONS = re.compile(r'\bFROM "recommendations_action"', re.IGNORECASE)


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _table_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{ACTIONS_TABLE}"')
        return cursor.fetchone()[0]


def _query_of(statement: str) -> str | None:
    """The query of a statement: itself for a SELECT or a UNION of them (which starts with a
    bracket), the query a server-side cursor is declared for; None for anything else."""
    statement = statement.strip()
    declared = re.match(r"DECLARE\s.*?\bCURSOR\b.*?\bFOR\s", statement, re.IGNORECASE | re.DOTALL)
    if declared:
        statement = statement[declared.end() :].strip()
    return statement if statement.lstrip("(").upper().startswith("SELECT") else None


def explain_queries(sql_statements: list[str]) -> list[dict]:
    if connection.vendor != "postgresql":
        return []
    total = _table_rows()
    results = []
    for sql in sql_statements:
        sql = _query_of(sql)
        if sql is None or not FROM_ACTIONS.search(sql):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            (document,) = cursor.fetchone()
        document = json.loads(document) if isinstance(document, str) else document
        plan = document[0]["Plan"]
        seq_scans = [
            n for n in _nodes(plan) if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == ACTIONS_TABLE
        ]
        # A Sort's input is its child's row count; a sort over most of the table is the
        # "sort the whole table, then take a page" pattern an index should avoid.
        sort_inputs = [
            sum(child.get("Actual Rows", 0) * child.get("Actual Loops", 1) for child in n.get("Plans", []))
            for n in _nodes(plan)
            if n["Node Type"] in ("Sort", "Incremental Sort")
        ]
        largest_sort = max(sort_inputs, default=0)
        results.append(
            {
                "sql": sql[:300],
                "seq_scan_on_actions": bool(seq_scans),
                "largest_sort_rows": largest_sort,
                "full_sort": total > 0 and largest_sort >= total / 2,
                "execution_ms": round(document[0].get("Execution Time", 0.0), 2),
                "plan_root": plan["Node Type"],
            }
        )
    return results
