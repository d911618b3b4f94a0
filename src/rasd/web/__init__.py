"""The web page's files (``static/``), served by ``rasd.api``; vendored ones built in ``web/``."""
