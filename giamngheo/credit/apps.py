from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "giamngheo.credit"
    label = "credit"
    verbose_name = "Tín dụng chính sách (NHCSXH)"
