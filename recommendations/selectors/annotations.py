"""The derived RAG set on actions already read, for pages that show it beside each row."""

from ..models.rag import is_self_rating_optimistic


def attach_rag(actions, *, today):
    """Set `derived_rag_value` and `self_rag_optimistic` on each action (needs `has_evidence`)."""
    actions = list(actions)
    for action in actions:
        action.derived_rag_value = action.derived_rag(today=today, has_evidence=action.has_evidence)
        action.self_rag_optimistic = is_self_rating_optimistic(
            self_rag=action.self_rag, derived=action.derived_rag_value
        )
    return actions
