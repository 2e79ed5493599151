SECTION = ["Beta"]
