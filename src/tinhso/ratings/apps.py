from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "tinhso.ratings"
    label = "ratings"
    verbose_name = "Đánh giá hài lòng"
