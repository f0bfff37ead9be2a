from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "disrupt.exchange"
    verbose_name = "Exchange"
