"""The workspace's laboratory screens: a client's results with trends, orders from placed to resulted, and
ordering with the duplicate-test check run in-process before signing."""
