"""Responses compressed in the app (Flask-Compress), for the demo and any deployment without
nginx in front: zstd, brotli or gzip, as the browser accepts.

Flask-Compress wraps a file response (static files, `direct_passthrough`) in a compressing
generator, and the new body's close() does not reach the file: it stayed open until the garbage
collector found it, one file descriptor per stylesheet request. The file is closed here when
the server closes the response, after the last byte is sent.
"""

from flask_compress import Compress


class ShopCompress(Compress):
    def after_request(self, response):
        source = response.response if response.direct_passthrough else None
        response = super().after_request(response)
        if source is not None and response.response is not source:
            close = getattr(source, "close", None)
            if close is not None:
                response.call_on_close(close)
        return response
