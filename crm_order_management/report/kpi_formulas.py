# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The four order metrics (the README, "Order metrics"), as small pure functions.

Each metric function takes the measured inputs of one period and returns
``(value, reason)``: the value, or ``None`` with the code of the reason why the metric
is undefined (a divisor of zero or a missing input). Undefined is never 0.

    O = C x P x S      order generation
    T = O / N x Tp     processing
    R = O / M x Rp     tracking
    E = R / T x Ep     evaluation

The period helpers cut time into days, ISO weeks (Monday to Sunday) and calendar
months; a period is ``[start, end)`` with ``end`` the first day of the next one.
"""

from datetime import date, timedelta

GRANULARITIES = ("day", "week", "month")

# Why a metric is undefined; the model gives each code its translatable label.
NO_FINAL_ORDERS = "no_final_orders"
NO_PROCESSORS = "no_processors"
NO_COMPLETED_ORDERS = "no_completed_orders"
NO_TRACKERS = "no_trackers"
R_UNDEFINED = "r_undefined"
T_UNDEFINED = "t_undefined"
T_ZERO = "t_zero"
NO_RATINGS = "no_ratings"


def average(total, count):
    """``total / count``, or None when nothing was counted."""
    return total / count if count else None


def success_rate(completed, cancelled):
    """S: orders completed / (completed + cancelled), over the orders that reached a
    final status in the period; None when none did."""
    return average(completed, completed + cancelled)


def order_generation(customers, products, success):
    """O = C x P x S."""
    if success is None:
        return None, NO_FINAL_ORDERS
    return customers * products * success, None


def processing(orders, processors, processing_hours):
    """T = O / N x Tp."""
    if not processors:
        return None, NO_PROCESSORS
    if processing_hours is None:
        return None, NO_COMPLETED_ORDERS
    return orders / processors * processing_hours, None


def tracking(orders, trackers, events_per_order):
    """R = O / M x Rp."""
    if not trackers or events_per_order is None:
        return None, NO_TRACKERS
    return orders / trackers * events_per_order, None


def evaluation(r, t, rating):
    """E = R / T x Ep."""
    if r is None:
        return None, R_UNDEFINED
    if t is None:
        return None, T_UNDEFINED
    if t == 0:
        return None, T_ZERO
    if rating is None:
        return None, NO_RATINGS
    return r / t * rating, None


def period_start(granularity, day):
    """The first day of the period of ``granularity`` that holds ``day``."""
    if granularity == "day":
        return day
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown granularity {granularity!r}")


def period_end(granularity, start):
    """The first day after the period that starts on ``start``."""
    if granularity == "day":
        return start + timedelta(days=1)
    if granularity == "week":
        return start + timedelta(days=7)
    if granularity == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    raise ValueError(f"unknown granularity {granularity!r}")


def periods_between(granularity, first_day, last_day):
    """Start days of the periods that overlap ``[first_day, last_day]``."""
    start = period_start(granularity, first_day)
    starts = []
    while start <= last_day:
        starts.append(start)
        start = period_end(granularity, start)
    return starts


def current_and_previous(granularity, day):
    """Start days of the period holding ``day`` and of the one before it."""
    current = period_start(granularity, day)
    return [period_start(granularity, current - timedelta(days=1)), current]
