# Counting primes by trial division: every step is interpreted bytecode.
def main start stop step extra
    locals n count
    load_local extra        # count = extra
    store_local count
    load_local start        # n = start
    store_local n
loop:                       # while n < stop:
    load_local n
    load_local stop
    lt
    jump_if_false done
    load_local count        #     count += is_prime(n)
    load_local n
    call is_prime           #     check point
    add
    store_local count
    load_local n            #     n += step
    load_local step
    add
    store_local n
    jump_back loop          #     check point
done:
    load_local count        # return count
    return
def is_prime n
    locals d
    load_local n            # if n < 2: return 0
    push_const 2
    lt
    jump_if_false trial
    push_const 0
    return
trial:
    push_const 2            # d = 2
    store_local d
test:                       # while d * d <= n:
    load_local d
    load_local d
    mul
    load_local n
    le
    jump_if_false prime
    load_local n            #     if n % d == 0: return 0
    load_local d
    mod
    push_const 0
    eq
    jump_if_false next
    push_const 0
    return
next:
    load_local d            #     d += 1
    push_const 1
    add
    store_local d
    jump_back test          #     check point
prime:
    push_const 1            # return 1
    return
