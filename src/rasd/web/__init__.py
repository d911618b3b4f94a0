"""The web page's files (``static/``), served by ``rasd.api``; vendored ones are built in ``web/``."""
