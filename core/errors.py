"""The one exception type that carries a message meant for a person."""


class UserError(Exception):
    """Unusable input: the message is one sentence that says what is wrong and how to fix it.

    Pages show it with ``st.error``; the CLI prints it to stderr and exits 2. No traceback reaches the user.
    """
