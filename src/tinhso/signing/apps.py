import logging

from django.apps import AppConfig

# fontTools logs every glyph subset at INFO, and pyHanko logs each untrusted or revoked certificate
# with a traceback at WARNING/ERROR, although the outcome is reported to the person who asked. Both
# would flood the logs of a busy verification page; quiet them unless LOGGING configured them.
_NOISY_LOGGERS = {
    "fontTools": logging.WARNING,
    "pyhanko.sign.validation": logging.ERROR,
    "pyhanko.sign.signers.pdf_signer": logging.ERROR,
    "pyhanko_certvalidator": logging.ERROR,
}


class SigningConfig(AppConfig):
    name = "tinhso.signing"
    label = "signing"
    verbose_name = "Chữ ký số"

    def ready(self) -> None:
        for name, level in _NOISY_LOGGERS.items():
            logger = logging.getLogger(name)
            if logger.level == logging.NOTSET:
                logger.setLevel(level)
