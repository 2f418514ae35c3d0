# The PyFlink exercise's job in pandas, as its loader did it: read the whole CSV, keep amount > 8000, write
# `transaction_id, customer_id, amount` lines. Usage: python3 pandas_job.py <input.csv> <output folder>
import os
import sys

import pandas as pd

source, folder = sys.argv[1], sys.argv[2]
frame = pd.read_csv(source)
suspicious = frame[frame["amount"] > 8000.0]
os.makedirs(folder, exist_ok=True)
with open(os.path.join(folder, "part-0-00000"), "w", encoding="utf-8", newline="\n") as part:
    for row in suspicious.itertuples(index=False):
        part.write(f"{row.transaction_id}, {row.customer_id}, {row.amount}\n")
