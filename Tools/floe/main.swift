print("floe: under construction")
