"""django-tables2 reads each render function's signature once, not once per cell.

django-tables2 works out which arguments a `render_<column>` method takes (value, record, …)
by calling `inspect.signature` on it for every cell it draws: 600 times for a page of the
action plan, about a third of the time spent drawing the table. A function's signature does
not change, so it is remembered here. The key is the underlying function and whether it came
bound: a bound method is a new object at every attribute access (so it cannot be the key), and
its signature leaves out `self`.

`install()` is called once, from the app's `ready()`. tests/test_table_cell_signatures.py checks
that the answers are django-tables2's own and that a table reads each signature once.
"""

import django_tables2.utils as tables2_utils

_read_signature = tables2_utils.signature
_remembered = {}
# Tables' render functions are a fixed set; the cap only guards against callables made afresh
# for each request (a lambda built in a view), which would otherwise be kept for ever.
_MOST_REMEMBERED = 1000


def signature(fn):
    """django_tables2.utils.signature, read once for each function."""
    key = (getattr(fn, "__func__", fn), hasattr(fn, "__func__"))
    try:
        return _remembered[key]
    except KeyError:
        if len(_remembered) >= _MOST_REMEMBERED:
            _remembered.clear()
        _remembered[key] = answer = _read_signature(fn)
        return answer
    except TypeError:  # an unhashable callable object: read each time, as django-tables2 does
        return _read_signature(fn)


def install():
    """Make django-tables2 use `signature` (it looks the name up in its utils module at each call)."""
    tables2_utils.signature = signature
