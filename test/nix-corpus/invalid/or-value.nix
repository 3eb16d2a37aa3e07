{ x = or; }
