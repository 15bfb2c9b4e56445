from ninja import NinjaAPI

api = NinjaAPI(title="giamngheo API", urls_namespace="api")
