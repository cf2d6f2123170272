class FastOffers:
    @classmethod
    def for_policy(cls, *a):
        return None
