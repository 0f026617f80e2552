"""Responses compressed in the app (Flask-Compress), for the demo and any deployment without
nginx in front: zstd, brotli or gzip, as the browser accepts.

Flask-Compress wraps a file response (static files, `direct_passthrough`) in a compressing
generator, and the new body's close() does not reach the file: it stayed open until the garbage
collector found it, one file descriptor per stylesheet request. The file is closed here when
the server closes the response, after the last byte is sent.

A file of up to WHOLE_FILE_MAX is read and compressed whole instead, so the compressed response
has its Content-Length: a streamed body has none, and uWSGI's HTTP socket (the demo's `make
run`, the browser tests) ended such a response only at its 4 s socket timeout, so a visitor's
first page waited 4-8 s for its stylesheet and scripts.
"""

from flask_compress import Compress

WHOLE_FILE_MAX = 2 * 1024 * 1024


class ShopCompress(Compress):
    def after_request(self, response):
        if (response.direct_passthrough and response.status_code == 200
                and response.content_length is not None
                and response.content_length <= WHOLE_FILE_MAX):
            source = response.response
            response.direct_passthrough = False
            response.set_data(b"".join(source))  # compressed whole, with its Content-Length
            close = getattr(source, "close", None)
            if close is not None:
                close()
        source = response.response if response.direct_passthrough else None
        response = super().after_request(response)
        if source is not None and response.response is not source:
            close = getattr(source, "close", None)
            if close is not None:
                response.call_on_close(close)
        return response
